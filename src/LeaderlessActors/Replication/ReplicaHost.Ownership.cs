using Akka.Actor;
using LeaderlessActors.Partitioning;

namespace LeaderlessActors.Replication;

// The host's part in ownership handoff: it watches the node's ring, shares what it knows of moving partitions with the
// other hosts (a node that joined or restarted after a change learns of it from them), records the new owners'
// confirmations, and tells each of its replicas that became a new owner to fill, starting those that are not running.
internal sealed partial class ReplicaHost
{
    private sealed record CheckOwnership
    {
        public static readonly CheckOwnership Instance = new();
    }

    private sealed record ShareHistory
    {
        public static readonly ShareHistory Instance = new();
    }

    private sealed record StopWaitingForHistory
    {
        public static readonly StopWaitingForHistory Instance = new();
    }

    // The partitions whose replica holds a fill slot, and those waiting for one, first come first served.
    private readonly HashSet<int> _fillSlots = [];
    private readonly List<int> _waitingForFillSlot = [];
    // The partitions this node's replica confirmed being filled for, with the owners it was filled among: told again to
    // every host that asks, so one that missed the confirmation (a cut link drops it) and still sees the move settles it.
    // Dropped once the partition's owners change.
    private readonly Dictionary<int, IReadOnlyList<Address>> _ownConfirmations = [];
    // The partitions whose replica was told to drop its copy, with the owners that were filled then: told once per move.
    private readonly Dictionary<int, IReadOnlyList<Address>> _releasesSent = [];
    private HashRing? _ringSeen;
    private OwnershipHistory<Address>? _historySeen;

    private void StartWatchingOwnership()
    {
        Timers.StartPeriodicTimer(CheckOwnership.Instance, CheckOwnership.Instance, _settings.Handoff.RingCheckInterval);
        var self = Self;
        _topology.RingChanged = () => self.Tell(CheckOwnership.Instance); // at once, not at the next look
        Timers.StartPeriodicTimer(ShareHistory.Instance, ShareHistory.Instance, _settings.Handoff.HistorySyncInterval);
        StartWatchingStrays();
    }

    /// <summary>Handles the handoff's messages; false for any other.</summary>
    private bool Ownership(object message)
    {
        switch (message)
        {
            case CheckOwnership:
                WatchRing();
                return true;
            case ShareHistory when _topology.Current.History.Moves.Count > 0:
                ShareMoves(); // a peer that asked before its ring and ours agreed learns of the move only this way
                AskForHistory(); // confirmations that did not reach this node reach it through a peer
                return true;
            case ShareHistory:
                return true;
            case OwnershipHistoryRequest:
                foreach (var move in KnownMoves()) Sender.Tell(move);
                foreach (var (partition, owners) in _ownConfirmations)
                    Sender.Tell(new HandoffCompleted(partition, _node.ToString(), owners.Select(o => o.ToString()).ToArray()));
                Sender.Tell(new OwnershipHistoryEnd(_node.ToString()));
                return true;
            case PartitionMoveShared shared:
                // A peer's move may lack this node's own confirmation (it missed it): the node never forgets that it filled.
                var own = _ownConfirmations.GetValueOrDefault(shared.Partition);
                _topology.UpdateHistory(t =>
                {
                    var merged = t.History.Merge(shared.Partition, shared.ToMove(), t.Ring.PreferenceList(shared.Partition), t.Ring.Members.ToHashSet());
                    return own is null ? merged : merged.Completed(shared.Partition, _node, own);
                });
                return true;
            case OwnershipHistoryEnd or StopWaitingForHistory:
                _topology.HistoryLearned();
                return true;
            case FillSlotRequest r when _fillSlots.Contains(r.Partition) || _fillSlots.Count < _settings.Handoff.MaxConcurrentFills:
                _fillSlots.Add(r.Partition);
                Sender.Tell(FillSlotGranted.Instance);
                return true;
            case FillSlotRequest r:
                if (!_waitingForFillSlot.Contains(r.Partition)) _waitingForFillSlot.Add(r.Partition);
                return true;
            case FillSlotReleased r:
                ReleaseFillSlot(r.Partition);
                return true;
            case HandoffCompleted c:
                var (filledNode, filledAmong) = (Address.Parse(c.Node), c.Owners.Select(Address.Parse).ToArray());
                if (filledNode == _node) _ownConfirmations[c.Partition] = filledAmong;
                _topology.UpdateHistory(t => t.History.Completed(c.Partition, filledNode, filledAmong));
                return true;
            default:
                return Strays(message);
        }
    }

    private void WatchRing()
    {
        var current = _topology.Current;
        var ringChanged = !ReferenceEquals(current.Ring, _ringSeen);
        if (ringChanged)
        {
            _ringSeen = current.Ring;
            foreach (var (partition, owners) in _ownConfirmations.ToArray())
                if (!current.Ring.PreferenceList(partition).SequenceEqual(owners)) _ownConfirmations.Remove(partition);
            ShareMoves();
            AskForHistory();
            if (!current.HistoryKnown)
                Timers.StartSingleTimer(StopWaitingForHistory.Instance, StopWaitingForHistory.Instance, _settings.Handoff.HistoryWait);
        }
        else if (!current.HistoryKnown) AskForHistory(); // the answer may have been lost (a link still gated after a restart)
        if (_cleanStopRequester is not null) return;
        // At every look, not only when the history changed: a replica may take in a copy (a late repair) after the settle.
        if (_settings.Handoff.ReleaseMovedCopies) ReleaseMovedCopies(current);
        if (ringChanged) TellStrays(current);
        if (ReferenceEquals(current.History, _historySeen)) return;
        _historySeen = current.History;
        foreach (var (partition, move) in current.History.Moves)
            if (move.NeedsFill(_node) && !move.Filled.Contains(_node)) ReplicaOf(partition).Tell(OwnershipChanged.Instance);
    }

    /// <summary>
    /// Tells the replica of each partition this node does not own, whose move settled here, to drop its copy. Only a
    /// settle this node saw counts (every new owner's own confirmation reached it), never the end of the wait for
    /// history: a node that restarted while a move was unsettled elsewhere could otherwise drop the only copy of a write.
    /// Once the current owners are filled from every earlier owner set, no read or later fill asks a non-owner again, so
    /// its copy holds nothing anyone can reach: also one taken in as an owner only in a peer's passing view of the ring
    /// (a repair or a write from a coordinator that saw an intermediate ring). A replica that is not running is started
    /// for it only when this node was an earlier owner; others hold nothing worth a start.
    /// </summary>
    private void ReleaseMovedCopies(Membership.TopologySnapshot current)
    {
        if (!current.Ring.Members.Contains(_node)) return; // leaving or removed: its partitions are handed off as it goes
        foreach (var (partition, move) in current.History.SettledMoves)
        {
            if (move.Owners.Contains(_node) || !move.IsFor(current.Ring.PreferenceList(partition)) ||
                (_replicas[partition] is null && !move.Sources.Contains(_node)) ||
                (_releasesSent.TryGetValue(partition, out var sent) && move.IsFor(sent))) continue;
            _releasesSent[partition] = move.Owners;
            ReplicaOf(partition).Tell(ReleasePartition.Instance);
        }
    }

    /// <summary>The replica of <paramref name="partition"/> no longer fills (or stopped): its slot goes to the first
    /// waiting replica that still runs.</summary>
    private void ReleaseFillSlot(int partition)
    {
        _fillSlots.Remove(partition);
        _waitingForFillSlot.Remove(partition);
        while (_fillSlots.Count < _settings.Handoff.MaxConcurrentFills && _waitingForFillSlot.Count > 0)
        {
            var next = _waitingForFillSlot[0];
            _waitingForFillSlot.RemoveAt(0);
            if (_replicas[next] is not { } replica) continue;
            _fillSlots.Add(next);
            replica.Tell(FillSlotGranted.Instance);
        }
    }

    private void AskForHistory()
    {
        var request = new OwnershipHistoryRequest(_node.ToString());
        foreach (var host in ReachablePeerHosts()) host.Tell(request);
    }

    /// <summary>
    /// Tells every reachable peer the moves this node knows. Asking alone is not enough: a new owner that asked while its
    /// peers' rings still lacked it got only moves for other owners (ignored), its own ring and history then stay as they
    /// are, so it never asks again, and the peers, whose rings changed later, would wait forever for its fill.
    /// </summary>
    private void ShareMoves()
    {
        var moves = KnownMoves();
        if (moves.Length == 0) return;
        foreach (var host in ReachablePeerHosts())
            foreach (var move in moves) host.Tell(move);
    }

    /// <summary>The moves this node knows, as told to a peer (shared on a ring change, or asked for).</summary>
    private PartitionMoveShared[] KnownMoves() =>
        [.. _topology.Current.History.Moves.Select(m => PartitionMoveShared.Of(m.Key, m.Value))];

    private IEnumerable<IActorRef> ReachablePeerHosts()
    {
        var current = _topology.Current;
        foreach (var member in current.Ring.Members)
            if (member != _node && current.IsReachable(member) && current.HostOf(member) is { } host) yield return host;
    }
}
