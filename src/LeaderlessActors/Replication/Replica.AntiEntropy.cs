using Akka.Actor;
using LeaderlessActors.AntiEntropy;

namespace LeaderlessActors.Replication;

// The replica's answers to anti-entropy exchanges: its tree's hashes, the entries of differing leaves and the states of
// differing keys. Repairs arrive as MergeKeyState merges. A replica that is its partition's only owner (a single-node store,
// where no exchange ever runs) collects its tombstones itself.
internal sealed partial class Replica
{
    private sealed record CollectAsSoleOwner
    {
        public static readonly CollectAsSoleOwner Instance = new();
    }

    // The sole owner's checks are spaced by half the grace period (a tombstone goes between 1 and 1.5 grace periods
    // after it was marked), but never closer than this: each check reads every key of the partition.
    private static readonly TimeSpan MinSoleOwnerCheck = TimeSpan.FromSeconds(1);

    /// <summary>Called once the replica recovered: checks now and then whether it is the only owner of its partition,
    /// and if so collects its tombstones as an exchange that found every owner in sync would.</summary>
    private void StartSoleOwnerCollection()
    {
        if (_options.TombstoneGrace is not { } grace) return;
        var every = grace / 2 < MinSoleOwnerCheck ? MinSoleOwnerCheck : grace / 2;
        Timers.StartPeriodicTimer(CollectAsSoleOwner.Instance, CollectAsSoleOwner.Instance, every);
    }

    /// <summary>
    /// Whether this replica holds the partition's only copy that anyone may ever read: its node is the ring's one member
    /// (so no other owner, not even a down one, holds a value a tombstone covers), the node is not still learning its
    /// history from peers, the partition is not moving, and the replica is not repairing.
    /// </summary>
    private bool SoleOwner()
    {
        var topology = _options.Topology.Current;
        return topology.Ring.Members.Count == 1 && topology.Ring.Members.Contains(_options.Node) && topology.HistoryKnown &&
               topology.History.MoveOf(_options.Partition) is null && _core.Repair is null;
    }

    /// <summary>Answers an exchange's read; false for any other message.</summary>
    private bool AnswerExchange(object message)
    {
        switch (message)
        {
            case ReadTreeHashes r when SameShape(r.RequestId, r.Fanout, r.Depth):
                if (_core.TreeHashes(r.Level, r.Nodes) is { } hashes) Sender.Tell(new TreeHashesRead(r.RequestId, _options.Node, hashes));
                else RefuseShape(r.RequestId, $"level {r.Level} has no such nodes");
                return true;
            case ReadTreeLeaves r when SameShape(r.RequestId, r.Fanout, r.Depth):
                if (_core.LeafEntries(r.Leaves) is { } entries) Sender.Tell(new TreeLeavesRead(r.RequestId, _options.Node, entries));
                else RefuseShape(r.RequestId, "the tree has no such leaves");
                return true;
            case ReadTreeHashes or ReadTreeLeaves:
                return true; // refused by SameShape
            case ReadKeyStates r:
                _core.ForgetStable(r.Keys);
                // Never more than this node's own chunk size: its frame is what bounds what it can send.
                var (states, _) = _core.DurableStates(r.Keys, Math.Min(r.MaxBytes, _options.Repair.ChunkBytes));
                Sender.Tell(new KeyStatesRead(r.RequestId, _options.Node, states));
                return true;
            case MarkStable m:
                CollectTombstones(m.Root);
                return true;
            case CollectAsSoleOwner:
                if (SoleOwner()) CollectTombstones(_core.Tree.Hashes(0, [0])[0]); // its own root: it is every owner
                return true;
            default:
                return false;
        }
    }

    /// <summary>Every owner held a tree of <paramref name="root"/>: marks the tombstones and prunable clocks every owner
    /// holds, and drops or prunes those marked longer than the grace period ago (when this replica has a grace period: the
    /// store always gives one).</summary>
    private void CollectTombstones(ulong root)
    {
        if (_options.TombstoneGrace is not { } grace) return;
        var now = _options.Clock.GetTimestamp();
        if (!_core.MarkStable(root, now)) return;
        var (dropped, pruned) = _core.CollectStable(now, (long)(grace.TotalSeconds * _options.Clock.TimestampFrequency));
        if (dropped is not null)
            PersistMarker(dropped, then: () =>
            {
                _core.DropCollected(dropped);
                _options.Metrics.TombstonesCollected(dropped.Keys.Length);
            });
        if (pruned is not null)
            PersistMarker(pruned, then: () =>
            {
                _core.PruneCollected(pruned);
                _options.Metrics.ClocksPruned(pruned.Keys.Length);
            });
    }

    private bool SameShape(long requestId, int fanout, int depth)
    {
        if (_core.Tree.Fanout == fanout && _core.Tree.Depth == depth) return true;
        RefuseShape(requestId, $"the exchange's tree has fanout {fanout} and depth {depth}, this replica's {_core.Tree.Fanout} and " +
                               $"{_core.Tree.Depth}; do all nodes use the same leaderless.anti-entropy.tree-fanout and tree-depth?");
        return false;
    }

    private void RefuseShape(long requestId, string why) =>
        Sender.Tell(new ReplicaFailed(requestId, _options.Node, ReplicaFailure.UnknownPartition, $"anti-entropy: {why}"));
}
