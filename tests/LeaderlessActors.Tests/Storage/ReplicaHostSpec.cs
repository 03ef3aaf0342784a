using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.TestKit.Xunit2;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests.Storage;

/// <summary>
/// The replica host routes commands to the replica of their partition. A replica that a journal failure stops is
/// replaced by a successor; commands that come while the old one is on its way out go to the successor, never lost.
/// </summary>
public class ReplicaHostSpec : TestKit
{
    private const string FailingJournal = "akka.persistence.journal.failing-on-demand";
    private long _requestId;

    public ReplicaHostSpec() : base("akka.loglevel = OFF\nakka.test.single-expect-default = 10s\n" +
        TestReplicas.JournalPlugin(FailingJournal, typeof(FailingOnDemandJournal)))
    {
    }

    [Fact]
    public void A_command_sent_right_after_a_journal_failure_is_served_by_the_replicas_successor()
    {
        // A peer that never answers keeps the replica's first sync running, so the failed replica has a child to stop
        // and takes a while to go: the command that follows must not reach it meanwhile.
        var peer = CreateTestProbe();
        var options = TestReplicas.Options(7, 100, (new Akka.Actor.Address("akka.tcp", "test", "peer", 2), peer.Ref));
        var host = Sys.ActorOf(TestReplicas.HostProps(FailingJournal, options.Topology));
        Assert.IsType<WriteCoordinated>(Write(host, "ok-before"));
        peer.FishForMessage<StreamPartition>(s => s.Partition == 7); // (the host also starts partition 0 at once)

        Assert.Equal(ReplicaFailure.StorageFailed, Assert.IsType<ReplicaFailed>(Write(host, FailingOnDemandJournal.FailingKey)).Failure);
        var after = Write(host, "ok-after");

        Assert.IsType<WriteCoordinated>(after);
        host.Tell(new ReadKey(++_requestId, 7, "ok-before"), TestActor);
        Assert.Single(ExpectMsg<KeyRead>().State.Values); // the successor recovered the journal
    }

    [Fact]
    public void A_journal_failure_answers_every_command_waiting_on_it_acknowledgements_deferred_behind_it_included()
    {
        var host = Sys.ActorOf(TestReplicas.HostProps(FailingJournal, TestReplicas.Options(8).Topology));
        Assert.IsType<WriteCoordinated>(Write(host, "started", partition: 8));

        host.Tell(new CoordinateWrite(++_requestId, 8, FailingOnDemandJournal.FailingKey, [1], VersionVector.Empty, 100), TestActor);
        // Nothing new for the key, but what it holds is still in flight: the acknowledgement waits for the journal.
        host.Tell(new MergeKeyState(++_requestId, 8, FailingOnDemandJournal.FailingKey, SiblingSet.Empty), TestActor);

        var answers = new[] { ExpectMsg<ReplicaFailed>(), ExpectMsg<ReplicaFailed>() };
        Assert.Equal([_requestId - 1, _requestId], answers.Select(a => a.RequestId).Order());
        Assert.All(answers, a => Assert.Equal(ReplicaFailure.StorageFailed, a.Failure));
    }

    private object Write(Akka.Actor.IActorRef host, string key, int partition = 7)
    {
        host.Tell(new CoordinateWrite(++_requestId, partition, key, [1], VersionVector.Empty, 100), TestActor);
        return this.ExpectWriteOutcome();
    }
}

/// <summary>The in-memory journal, except that a batch holding a write of <see cref="FailingKey"/> fails a moment later,
/// as a database that went away would (commands sent meanwhile find the write in flight).</summary>
public sealed class FailingOnDemandJournal : MemoryJournal
{
    public const string FailingKey = "fail-this-write";

    protected override async Task<IImmutableList<Exception?>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var batch = messages.ToArray();
        if (!batch.SelectMany(w => (IEnumerable<IPersistentRepresentation>)w.Payload).Any(p => p.Payload is KeyUpdated { Key: FailingKey }))
            return await base.WriteMessagesAsync(batch, cancellationToken);
        await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
        throw new IOException("the database went away");
    }
}
