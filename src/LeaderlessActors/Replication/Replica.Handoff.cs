using Akka.Event;
using System.Collections.Immutable;
using Akka.Actor;
using LeaderlessActors.Partitioning;

namespace LeaderlessActors.Replication;

// Ownership handoff: a replica that becomes a new owner of its partition (the ring changed, and it was not an owner in
// every owner set since the partition last settled) stops voting, fills from every earlier and current owner with a
// resync, and then tells every host that it is filled.
internal sealed partial class Replica
{
    // The earlier owners known when the current resync started: one that learns of more starts over.
    private ImmutableHashSet<Address>? _fillingFrom;

    // Whether the host granted this replica one of the node's fill slots, and whether it asked for one.
    private bool _fillSlot;
    private bool _fillSlotAsked;

    private PartitionMove<Address>? Move => _options.Topology.Current.History.MoveOf(_options.Partition);

    /// <summary>Handles the host's word that ownership changed; false for any other message.</summary>
    private bool Handoff(object message)
    {
        switch (message)
        {
            case OwnershipChanged:
                CheckOwnership();
                return true;
            case FillSlotGranted:
                (_fillSlot, _fillSlotAsked) = (true, false);
                StartResync();
                if (_resync is null) ReleaseFillSlot(); // it no longer needs one (filled meanwhile, or stopping)
                return true;
            default:
                return false;
        }
    }

    /// <summary>Called before a resync starts: true when it is a fill that must wait for a fill slot (asked for here).</summary>
    private bool WaitsForFillSlot()
    {
        if (_fillSlot || _core.Repair != RepairNeed.Handoff) return false;
        if (!_fillSlotAsked) Context.Parent.Tell(new FillSlotRequest(_options.Partition));
        _fillSlotAsked = true;
        return true;
    }

    /// <summary>The resync stopped (completed, or gave up until its retry): the slot goes back, so a fill waiting for an
    /// unreachable owner does not hold up the others.</summary>
    private void ReleaseFillSlot()
    {
        if (!_fillSlot) return;
        _fillSlot = false;
        Context.Parent.Tell(new FillSlotReleased(_options.Partition));
    }

    /// <summary>Begins a handoff when this replica is a new owner that is not filled for the current owners yet.</summary>
    private void CheckOwnership()
    {
        // Before its epoch is durable there is no resync yet; the one that follows checks first.
        if (_core.ReplicaEpoch == 0 || Move is not { } move || !move.NeedsFill(_options.Node)) return;
        // This node knows it filled (its own host's record: it does not lose the confirmation); a move to other owners
        // since starts with no confirmations.
        if (move.Filled.Contains(_options.Node)) return;
        if (_core.Repair is not { FromEveryPeer: true } || _core.Released) BeginHandoff();
        else if (_fillingFrom is { } from && !move.Sources.IsSubsetOf(from))
        {
            // A fill (or the repair of lost history, which asks every owner too) that began before more earlier owners
            // were known misses them: it starts over.
            StopResync();
            StartResync();
        }
    }

    /// <summary>Called before a resync starts: true when the replica must first become a filling new owner (it then
    /// persists that and starts the resync itself).</summary>
    private bool HandoffFirst()
    {
        if (_core.Repair is { FromEveryPeer: true, IsRelease: false } || _core.ReplicaEpoch == 0 || Move is not { } move || !move.NeedsFill(_options.Node) ||
            move.Filled.Contains(_options.Node)) return false;
        BeginHandoff();
        return true;
    }

    private void BeginHandoff()
    {
        StopResync();
        _log.Info("Replica of partition {0} is a new owner: it fills from every earlier owner ({1}) before it votes",
            _options.Partition, string.Join(", ", Move?.Sources ?? []));
        _options.Metrics.HandoffStarted();
        PersistMarker(_core.Marker(new ReplicaHandoffStarted(_core.ReplicaEpoch)), then: StartResync);
        AnswerHeldReads(); // without a vote now
    }

    /// <summary>A resync with every peer completed and is durable: a new owner that asked every earlier owner known now
    /// is filled and says so; one that learned of more earlier owners meanwhile fills again.</summary>
    private void Filled(bool fromEveryPeer)
    {
        var from = _fillingFrom;
        _fillingFrom = null;
        if (!fromEveryPeer || Move is not { } move || !move.NeedsFill(_options.Node)) return;
        if (from is null || !move.Sources.IsSubsetOf(from))
        {
            BeginHandoff();
            return;
        }
        _options.Metrics.HandoffCompleted();
        AnnounceFilled(move);
    }

    private void AnnounceFilled(PartitionMove<Address> move)
    {
        var filled = new HandoffCompleted(_options.Partition, _options.Node.ToString(), move.Owners.Select(o => o.ToString()).ToArray());
        foreach (var host in _options.Topology.Current.ReplicaHosts.Values) host.Tell(filled);
    }
}
