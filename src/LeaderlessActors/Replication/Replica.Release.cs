using Akka.Event;

namespace LeaderlessActors.Replication;

// The end of a handoff on the old owner's side: once every new owner confirmed being filled (the host saw the move
// settle), a replica whose node no longer owns the partition drops its copy, so disk and memory follow ownership.
internal sealed partial class Replica
{
    private sealed record RetryRelease
    {
        public static readonly RetryRelease Instance = new();
    }

    /// <summary>Handles the host's word that the copy may go, and a stray copy's hand-over; false for any other message.</summary>
    private bool Release(object message)
    {
        if (HandOver(message)) return true;
        if (message is not (ReleasePartition or RetryRelease)) return false;
        // The host's view may be older than this replica's: an owner again, or moving again, keeps its copy.
        var topology = _options.Topology.Current;
        if (topology.Ring.PreferenceList(_options.Partition).Contains(_options.Node) || Move is not null || _core.Released) return true;
        if (_core.Release() is not { } marker)
        {
            // Writes in flight (their answers follow the state they persist), or no epoch yet: look again shortly.
            Timers.StartSingleTimer(RetryRelease.Instance, RetryRelease.Instance, _options.Repair.RetryInterval);
            return true;
        }
        _log.Info("Replica of partition {0}: every new owner ({1}) is filled, so this node, no longer an owner, drops its {2} keys",
            _options.Partition, string.Join(", ", topology.Ring.PreferenceList(_options.Partition)), _core.DurableKeyCount);
        DropCopy(marker);
        return true;
    }

    /// <summary>Persists <paramref name="marker"/>, which the core applied already: the copy no longer votes and its keys
    /// go once the marker is durable.</summary>
    private void DropCopy(PartitionReleased marker)
    {
        StopResync();
        StopHandOver();
        PersistMarker(marker, then: () =>
        {
            _core.DropReleased();
            if (!_core.Snapshotting) Snapshot(); // the journal behind the empty state goes, so the disk follows too
        });
        AnswerHeldReads(); // without a vote now
    }
}
