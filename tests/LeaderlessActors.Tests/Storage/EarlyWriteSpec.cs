using Akka.Actor;
using Akka.TestKit.Xunit2;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests.Storage;

/// <summary>
/// A replica tells a coordinator on its node the write it issued before its journal has it (<see cref="WriteIssued"/>),
/// then <see cref="KeyStored"/> once durable; its reads still see only durable state. A dot told early may reach peers
/// and then be lost with its event, so a replica that may lose it must take a new epoch at its restart: it tells nothing
/// early while its journal still ends with the clean stop that would let it keep its epoch.
/// </summary>
public class EarlyWriteSpec : TestKit
{
    private const string Gated = "akka.persistence.journal.gated";
    private long _requestId;

    public EarlyWriteSpec() : base("akka.loglevel = OFF\nakka.test.single-expect-default = 10s\n" +
        TestReplicas.JournalPlugin(Gated, typeof(GatedJournal)))
    {
    }

    [Fact]
    public void The_issued_write_is_told_before_it_is_durable_and_confirmed_once_it_is_while_reads_see_only_durable_state()
    {
        var options = TestReplicas.Options(40) with { JournalPluginId = Gated, FanOutBeforeDurable = true };
        var replica = Sys.ActorOf(Replica.Props(options));
        var key = $"held-{Guid.NewGuid():N}";
        var gate = GatedJournal.Hold(key);

        replica.Tell(new CoordinateWrite(++_requestId, 40, key, [7], VersionVector.Empty, 100), TestActor);
        var issued = ExpectMsg<WriteIssued>();
        Assert.Equal([7], Assert.Single(issued.State.Values));
        Assert.Equal(issued.Dot, Assert.Single(issued.State.Siblings).Dot);
        Assert.Empty(Inspect(replica, 40, key).State.Siblings); // not durable: reads and inspections do not see it

        gate.SetResult();
        Assert.Equal(issued.RequestId, ExpectMsg<KeyStored>().RequestId);
        Assert.Equal(issued.State, Inspect(replica, 40, key).State);
    }

    [Fact]
    public void A_replica_whose_journal_failed_after_it_told_a_write_continues_as_a_new_epoch_and_takes_the_write_back_as_no_lost_history()
    {
        var host = StartHost(Gated, 41);
        var before = Assert.IsType<WriteCoordinated>(WriteThroughHost(host, 41, "ok-before"));
        var key = $"lost-{Guid.NewGuid():N}";
        var gate = GatedJournal.Hold(key);

        host.Tell(new CoordinateWrite(++_requestId, 41, key, [1], VersionVector.Empty, 100), TestActor);
        var told = ExpectMsg<WriteIssued>(); // peers may store this dot now
        gate.SetException(new IOException("the database went away"));
        Assert.Equal(ReplicaFailure.StorageFailed, ExpectMsg<ReplicaFailed>().Failure);
        Assert.Equal(before.Dot.Epoch, told.Dot.Epoch);

        var successor = Inspect(host, 41, key).ReplicaEpoch;
        Assert.NotEqual(told.Dot.Epoch, successor); // so the told dot is never issued again

        // The coordinator stored it on the peers and hinted it here: the successor takes it back, not as lost history
        // (which would make it start over as yet another epoch).
        host.Tell(new MergeKeyState(++_requestId, 41, key, told.State), TestActor);
        ExpectMsg<KeyStored>();
        var inspected = Inspect(host, 41, key);
        Assert.Equal(told.State, inspected.State);
        Assert.Null(inspected.RepairReason);
        Assert.Equal(successor, inspected.ReplicaEpoch);
        Assert.Equal(inspected.ReplicaEpoch, Assert.IsType<WriteCoordinated>(WriteThroughHost(host, 41, key)).Dot.Epoch);
    }

    [Fact]
    public void A_version_told_early_and_lost_that_comes_back_to_a_replica_started_anew_is_lost_history()
    {
        // Nothing handed over, as after a crash: the replica cannot tell the version from a lost journal tail.
        var options = TestReplicas.Options(43) with { JournalPluginId = Gated, FanOutBeforeDurable = true };
        var replica = Sys.ActorOf(Replica.Props(options));
        replica.Tell(new CoordinateWrite(++_requestId, 43, "durable", [1], VersionVector.Empty, 100), TestActor);
        this.ExpectWritten(); // its epoch is durable now, and known again after the restart
        var key = $"lost-{Guid.NewGuid():N}";
        var gate = GatedJournal.Hold(key);
        replica.Tell(new CoordinateWrite(++_requestId, 43, key, [1], VersionVector.Empty, 100), TestActor);
        var told = ExpectMsg<WriteIssued>();
        Watch(replica);
        gate.SetException(new IOException("the database went away"));
        ExpectMsg<ReplicaFailed>();
        ExpectTerminated(replica);

        replica = Sys.ActorOf(Replica.Props(options));
        var restarted = Inspect(replica, 43, key).ReplicaEpoch;
        Assert.NotEqual(told.Dot.Epoch, restarted);
        replica.Tell(new MergeKeyState(++_requestId, 43, key, told.State), TestActor);
        ExpectMsg<KeyStored>();

        // It started over as yet another epoch (with no peers here, its resync with every peer ends at once).
        Assert.NotEqual(restarted, Inspect(replica, 43, key).ReplicaEpoch);
    }

    [Fact]
    public void After_a_clean_stop_a_replica_tells_no_write_early_until_something_after_the_stop_is_durable()
    {
        var host = StartHost("akka.persistence.journal.inmem", 42);
        var epoch = Assert.IsType<WriteCoordinated>(WriteThroughHost(host, 42, "k")).Dot.Epoch;
        host.Tell(ReplicaHost.StopReplicasCleanly.Instance, TestActor);
        ExpectMsg<Akka.Done>();
        Sys.Stop(host);

        host = StartHost("akka.persistence.journal.inmem", 42);
        host.Tell(new CoordinateWrite(++_requestId, 42, "k", [2], VersionVector.Empty, 100), TestActor);
        var first = ExpectMsg<object>(m => m is WriteIssued or WriteCoordinated);
        // Were it lost, the journal would still end with the clean stop and the restart keep the epoch: answered durable only.
        Assert.Equal(epoch, Assert.IsType<WriteCoordinated>(first).Dot.Epoch);

        host.Tell(new CoordinateWrite(++_requestId, 42, "k", [3], VersionVector.Empty, 100), TestActor);
        Assert.Equal(epoch, ExpectMsg<WriteIssued>().Dot.Epoch);
        ExpectMsg<KeyStored>();
    }

    private IActorRef StartHost(string journal, int partition) =>
        Sys.ActorOf(TestReplicas.HostProps(journal, TestReplicas.Options(partition).Topology, "leaderless.storage.fan-out-before-durable = on"));

    private KeyInspected Inspect(IActorRef target, int partition, string key)
    {
        target.Tell(new InspectKey(++_requestId, partition, key), TestActor);
        return ExpectMsg<KeyInspected>();
    }

    private object WriteThroughHost(IActorRef host, int partition, string key)
    {
        host.Tell(new CoordinateWrite(++_requestId, partition, key, BitConverter.GetBytes(_requestId), VersionVector.Empty, 100), TestActor);
        return this.ExpectWriteOutcome();
    }
}
