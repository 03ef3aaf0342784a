using Akka.Actor;

namespace LeaderlessActors.Replication;

// The host's part in handing over stray copies (see StrayCopy): every resync retry interval, and whenever the ring
// changed, it tells each running replica of a partition this node does not own and knows no move of to hand its copy over.
// Replicas that are not running are left alone, as for moved copies: one starts (and is then told) once a command reaches
// it. release-moved-copies = off keeps every copy, strays too.
internal sealed partial class ReplicaHost
{
    private sealed record CheckStrays
    {
        public static readonly CheckStrays Instance = new();
    }

    private void StartWatchingStrays() =>
        Timers.StartPeriodicTimer(CheckStrays.Instance, CheckStrays.Instance, _settings.Repair.RetryInterval);

    /// <summary>Handles the periodic look for stray copies; false for any other message.</summary>
    private bool Strays(object message)
    {
        if (message is not CheckStrays) return false;
        TellStrays(_topology.Current);
        return true;
    }

    /// <summary>Tells each running replica that may hold a stray copy in <paramref name="current"/>; the replica decides
    /// (it knows whether it holds keys), with the view it has then.</summary>
    private void TellStrays(Membership.TopologySnapshot current)
    {
        // Until the node learned the moves its peers know it cannot tell a stray from an earlier owner of a move.
        if (!_settings.Handoff.ReleaseMovedCopies || _cleanStopRequester is not null || !current.HistoryKnown ||
            !current.Ring.Members.Contains(_node)) return;
        for (var partition = 0; partition < _replicas.Length; partition++)
            if (_replicas[partition] is { } replica && current.History.MoveOf(partition) is null &&
                !current.Ring.PreferenceList(partition).Contains(_node))
                replica.Tell(HandOverStrayCopy.Instance);
    }
}
