using Akka;
using Akka.TestKit.Xunit2;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests.Storage;

/// <summary>
/// kv679 on the replica actor: an orderly stop leaves a clean-stop marker as the journal's last event, and the replica
/// keeps its epoch; any other end (here an actor stopped without it, as a crash would leave its journal) gives it a new
/// epoch at the next start, with its keys and its vote kept.
/// </summary>
public class CleanStopSpec : TestKit
{
    private long _requestId;

    public CleanStopSpec() : base("akka.loglevel = OFF\nakka.test.single-expect-default = 10s")
    {
    }

    [Fact]
    public void A_replica_stopped_without_its_clean_stop_continues_as_a_new_epoch_with_its_keys_and_its_vote()
    {
        var options = TestReplicas.Options(30);
        var replica = StartVoting(options);
        var first = Write(replica, options, "k");
        var state = Inspect(replica, "k").State;
        Watch(replica);
        Sys.Stop(replica);
        ExpectTerminated(replica);

        replica = Sys.ActorOf(Replica.Props(options));

        var inspected = Inspect(replica, "k");
        Assert.NotEqual(first.Epoch, inspected.ReplicaEpoch);
        Assert.Equal(state, inspected.State);
        Assert.Null(inspected.RepairReason);
        Assert.False(Read(replica, options, "k").NeedsRepair);
        var next = Write(replica, options, "k");
        Assert.Equal(inspected.ReplicaEpoch, next.Epoch);
        Assert.Equal(1, next.Counter); // the first dot of the new epoch: nothing of the old one is reissued
    }

    [Fact]
    public void Asked_to_stop_cleanly_the_host_stops_every_replica_refuses_commands_from_then_on_and_each_keeps_its_epoch()
    {
        var options = TestReplicas.Options(31);
        var host = StartHost(options);
        var epochs = new[] { 31, 32 }.Select(p => WriteThroughHost(host, p)).ToArray();
        Assert.All(epochs, e => Assert.IsType<WriteCoordinated>(e));

        host.Tell(ReplicaHost.StopReplicasCleanly.Instance, TestActor);
        ExpectMsg<Done>();
        Assert.Equal(ReplicaFailure.ShuttingDown, Assert.IsType<ReplicaFailed>(WriteThroughHost(host, 31)).Failure);
        Sys.Stop(host);

        var restarted = StartHost(options);
        var after = new[] { 31, 32 }.Select(p => Assert.IsType<WriteCoordinated>(WriteThroughHost(restarted, p))).ToArray();
        for (var i = 0; i < after.Length; i++)
            Assert.Equal(((WriteCoordinated)epochs[i]).Dot.Epoch, after[i].Dot.Epoch);
    }

    private Akka.Actor.IActorRef StartHost(ReplicaOptions options) => Sys.ActorOf(TestReplicas.HostProps(options.JournalPluginId, options.Topology));

    /// <summary>A replica with no peers: it takes its first epoch, syncs with nobody, and votes.</summary>
    private Akka.Actor.IActorRef StartVoting(ReplicaOptions options)
    {
        var replica = Sys.ActorOf(Replica.Props(options));
        AwaitAssert(() => Assert.False(Read(replica, options, "any").NeedsRepair), TimeSpan.FromSeconds(5));
        return replica;
    }

    private object WriteThroughHost(Akka.Actor.IActorRef host, int partition)
    {
        host.Tell(new CoordinateWrite(++_requestId, partition, "k", BitConverter.GetBytes(_requestId), VersionVector.Empty, 100), TestActor);
        return this.ExpectWriteOutcome();
    }

    private Dot Write(Akka.Actor.IActorRef replica, ReplicaOptions options, string key)
    {
        // A value of its own each time: a retry of a value the key holds unseen issues no new version at all.
        replica.Tell(new CoordinateWrite(++_requestId, options.Partition, key, BitConverter.GetBytes(_requestId), VersionVector.Empty, 100), TestActor);
        return this.ExpectWritten().Dot;
    }

    private KeyRead Read(Akka.Actor.IActorRef replica, ReplicaOptions options, string key)
    {
        replica.Tell(new ReadKey(++_requestId, options.Partition, key), TestActor);
        return ExpectMsg<KeyRead>();
    }

    private KeyInspected Inspect(Akka.Actor.IActorRef replica, string key)
    {
        replica.Tell(new InspectKey(++_requestId, 0, key), TestActor);
        return ExpectMsg<KeyInspected>();
    }
}
