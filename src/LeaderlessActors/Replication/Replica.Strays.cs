using Akka.Actor;
using Akka.Event;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

// A stray copy (see StrayCopy): this node does not own the partition and saw no move of it, yet the replica holds keys.
// It hands them to every current owner and then drops its copy as an earlier owner does once its move settled. The hand-
// over starts again from what is left whenever it gives up, the owners change, or keys change meanwhile; a crash simply
// loses its progress (merging is idempotent, and the copy is only dropped after every owner stored every key).
internal sealed partial class Replica
{
    private sealed record RetryHandOver
    {
        public static readonly RetryHandOver Instance = new();
    }

    private IActorRef? _handOver;
    // The owners of the hand-over under way and, per key, the state every one of them stored: all are forgotten when the
    // owners change, as a new owner has stored none of it.
    private IReadOnlyList<Address> _handingTo = [];
    private readonly Dictionary<string, SiblingSet> _handedOver = [];

    /// <summary>Handles the host's word to hand a stray copy over, and the hand-over's progress; false for any other
    /// message.</summary>
    private bool HandOver(object message)
    {
        switch (message)
        {
            case HandOverStrayCopy or RetryHandOver:
                CheckStray();
                return true;
            case StrayHandover.HandedOver done when Sender.Equals(_handOver):
                StopHandOver();
                if (done.Owners.SequenceEqual(_handingTo))
                    foreach (var (key, state) in done.Keys) _handedOver[key] = state;
                CheckStray(); // keys written meanwhile go too; with none left, the copy goes
                return true;
            case Terminated t when t.ActorRef.Equals(_handOver):
                // An owner out of reach, refusing, or quiet: never drop the copy early, try again later.
                StopHandOver();
                if (!_stoppingCleanly) Timers.StartSingleTimer(RetryHandOver.Instance, RetryHandOver.Instance, _options.Repair.RetryInterval);
                return true;
            default:
                return false;
        }
    }

    private void CheckStray()
    {
        if (_stoppingCleanly) return; // nothing may follow the clean-stop marker in the journal
        var topology = _options.Topology.Current;
        var owners = topology.Ring.PreferenceList(_options.Partition);
        if (_core.Released || !StrayCopy.IsStray(owners, _options.Node, topology.Ring.Members.Contains(_options.Node),
                Move is not null, topology.HistoryKnown, _core.DurableKeyCount))
        {
            // An owner again, moving, or holding nothing: whatever was handed over no longer decides anything.
            StopHandOver();
            ForgetHandedOver([]);
            return;
        }
        if (!owners.SequenceEqual(_handingTo))
        {
            StopHandOver(); // it hands over to owners that are no longer all of them
            ForgetHandedOver(owners);
        }
        if (_handOver is not null) return;
        var left = StrayCopy.NotHandedOver(_core.DurableSnapshot(), _handedOver);
        if (left.Length > 0)
        {
            _log.Info("Replica of partition {0} holds a copy this node does not own and saw no move of: it hands {1} keys to the owners ({2})",
                _options.Partition, left.Length, string.Join(", ", owners));
            _handOver = Context.ActorOf(StrayHandover.Props(_options, owners, left));
            Context.Watch(_handOver);
            return;
        }
        if (_core.Release() is not { } marker)
        {
            // Writes in flight (their answers follow the state they persist): look again shortly, and hand them over too.
            Timers.StartSingleTimer(RetryHandOver.Instance, RetryHandOver.Instance, _options.Repair.RetryInterval);
            return;
        }
        _log.Info("Replica of partition {0}: every owner ({1}) stored each of its {2} keys, so this node, not an owner, drops its stray copy",
            _options.Partition, string.Join(", ", owners), _core.DurableKeyCount);
        _options.Metrics.StrayReleased();
        ForgetHandedOver([]);
        DropCopy(marker);
    }

    private void ForgetHandedOver(IReadOnlyList<Address> owners)
    {
        _handingTo = owners;
        _handedOver.Clear();
    }

    private void StopHandOver()
    {
        if (_handOver is null) return;
        Context.Unwatch(_handOver);
        Context.Stop(_handOver);
        _handOver = null;
    }
}
