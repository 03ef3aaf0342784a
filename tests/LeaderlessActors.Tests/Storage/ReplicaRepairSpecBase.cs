using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using LeaderlessActors.Replication;
using LeaderlessActors.Serialization;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests.Storage;

/// <summary>
/// What the specs of a replica's repair share: a probe as the one peer's replica host, and helpers that write, stop,
/// restart, read and inspect a replica, and forge damage into its in-memory journal and snapshots.
/// </summary>
public abstract class ReplicaRepairSpecBase : TestKit
{
    private protected static readonly Address PeerNode = new("akka.tcp", "test", "peer", 2);
    private protected readonly TestProbe _peer;
    private protected long _requestId;

    // Generous waits: test classes run in parallel on few cores.
    private protected ReplicaRepairSpecBase(Config? config = null)
        : base((config ?? Config.Empty).WithFallback(ConfigurationFactory.ParseString("akka.loglevel = OFF\nakka.test.single-expect-default = 10s"))) =>
        _peer = CreateTestProbe("peer");

    /// <summary>Options for a replica of <paramref name="partition"/> with this spec's peer, its repair settings changed
    /// by <paramref name="change"/>.</summary>
    private protected ReplicaOptions OptionsWith(int partition, Func<RepairSettings, RepairSettings> change)
    {
        var options = TestReplicas.Options(partition, 100, (PeerNode, _peer.Ref));
        return options with { Repair = change(options.Repair) };
    }

    private protected PartitionChunk Ask(IActorRef replica, ReplicaOptions options, long epoch, bool fresh)
    {
        replica.Tell(new StreamPartition(++_requestId, options.Partition, 4096, PeerNode, epoch, fresh), TestActor);
        var chunk = ExpectMsg<PartitionChunk>();
        Assert.True(chunk.Last);
        return chunk;
    }

    /// <summary>A replica writes <paramref name="key"/> and stops; then an unreadable entry is found in its journal.</summary>
    private protected void WriteThenDamage(ReplicaOptions options, string key)
    {
        var replica = StartFresh(options);
        Write(replica, options, key, [1]);
        StopCleanly(replica);
        Forge(options, new UnreadableEntry("damaged"));
    }

    private protected void WriteAThenBThenCAndStop(ReplicaOptions options)
    {
        var replica = StartFresh(options);
        Write(replica, options, "a", [1]);
        Write(replica, options, "b", [2]);
        Write(replica, options, "c", [3]);
        StopCleanly(replica);
    }

    /// <summary>Starts a replica with no history, answers its sync as a peer with nothing, and waits until it votes.</summary>
    private protected IActorRef StartFresh(ReplicaOptions options)
    {
        var replica = Sys.ActorOf(Replica.Props(options));
        var sync = _peer.ExpectMsg<StreamPartition>(s => s.Partition == options.Partition);
        _peer.LastSender.Tell(new PartitionChunk(sync.RequestId, PeerNode, [], Last: true), _peer.Ref);
        AwaitAssert(() => Assert.Null(Inspect(replica, "any").RepairReason), TimeSpan.FromSeconds(5));
        return replica;
    }

    private protected IActorRef Start(ReplicaOptions options, bool expectResync = true)
    {
        var replica = Sys.ActorOf(Replica.Props(options));
        if (expectResync) _peer.ExpectMsg<StreamPartition>(s => s.Partition == options.Partition);
        return replica;
    }

    /// <summary>The replica's orderly stop, as its node's shutdown makes it: its journal ends in a clean-stop marker,
    /// so it keeps its epoch at the next start.</summary>
    private protected void StopCleanly(IActorRef replica)
    {
        Watch(replica);
        replica.Tell(Replica.StopCleanly.Instance);
        ExpectTerminated(replica);
    }

    private protected void Stop(IActorRef actor)
    {
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
    }

    private protected long Write(IActorRef replica, ReplicaOptions options, string key, byte[] value)
    {
        replica.Tell(new CoordinateWrite(++_requestId, options.Partition, key, value, VersionVector.Empty, 100), TestActor);
        return this.ExpectWritten().Dot.Epoch;
    }

    private protected KeyRead Read(IActorRef replica, ReplicaOptions options, string key)
    {
        replica.Tell(new ReadKey(++_requestId, options.Partition, key), TestActor);
        return ExpectMsg<KeyRead>();
    }

    private protected KeyInspected Inspect(IActorRef replica, string key)
    {
        replica.Tell(new InspectKey(++_requestId, 0, key), TestActor);
        return ExpectMsg<KeyInspected>();
    }

    private protected static SiblingSet State(long epoch, int value) =>
        SiblingSet.Empty.Update(VersionVector.Empty, [(byte)value], epoch);

    /// <summary>Appends <paramref name="entries"/> to the replica's journal, as damage found on disk would look.</summary>
    private protected void Forge(ReplicaOptions options, params object[] entries)
    {
        var forger = Sys.ActorOf(Props.Create(() => new JournalForger(options, TestActor)));
        forger.Tell(new JournalForger.Append(entries));
        ExpectMsg<JournalForger.Done>();
        Stop(forger);
    }

    /// <summary>Replaces the replica's snapshots with <paramref name="snapshot"/> at <paramref name="atSequenceNr"/>, or
    /// deletes them all.</summary>
    private protected void ForgeSnapshot(ReplicaOptions options, object? snapshot = null, long atSequenceNr = 0, bool delete = false)
    {
        var store = Persistence.Instance.Apply(Sys).SnapshotStoreFor(options.SnapshotPluginId);
        var persistenceId = $"leaderless-replica-{options.Partition}";
        store.Tell(new Akka.Persistence.DeleteSnapshots(persistenceId, SnapshotSelectionCriteria.Latest), TestActor);
        ExpectMsg<DeleteSnapshotsSuccess>();
        if (delete) return;
        store.Tell(new Akka.Persistence.SaveSnapshot(new SnapshotMetadata(persistenceId, atSequenceNr, DateTime.UtcNow), snapshot!), TestActor);
        ExpectMsg<SaveSnapshotSuccess>();
    }

    /// <summary>Writes under a replica's persistence id what the storage serializer would read back from damaged bytes.</summary>
    private sealed class JournalForger : UntypedPersistentActor
    {
        public sealed record Append(object[] Entries);
        public sealed record Done;

        private readonly ReplicaOptions _options;
        private readonly IActorRef _test;

        public JournalForger(ReplicaOptions options, IActorRef test)
        {
            _options = options;
            _test = test;
            JournalPluginId = options.JournalPluginId;
            SnapshotPluginId = options.SnapshotPluginId;
        }

        public override string PersistenceId => $"leaderless-replica-{_options.Partition}";

        protected override void OnRecover(object message)
        {
        }

        protected override void OnCommand(object message)
        {
            if (message is not Append a) return;
            PersistAll(a.Entries, _ => { });
            DeferAsync(new Done(), d => _test.Tell(d));
        }
    }
}
