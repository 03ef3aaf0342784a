using Akka.Actor;
using Akka.Cluster;
using Akka.Remote;

namespace LeaderlessActors.Membership;

/// <summary>
/// Which owners remoting has lost (<see cref="TopologySnapshot.Disconnected"/>): a kill -9 closes the connection at once,
/// seconds before the failure detector flags the node, and in between a write must not be handed to it to coordinate.
/// </summary>
internal sealed partial class MembershipWatcher
{
    // Addresses whose remoting connection failed and was not made again since, nor for the suspicion limit.
    private readonly HashSet<Address> _disconnected = [];
    private TimeSpan? _suspicionLimit;

    /// <summary>How long a lost connection alone marks a node: until the failure detector has had time to decide
    /// (heartbeat interval plus acceptable pause), after which its verdict rules. This bounds a stale mark: remoting also
    /// reports the close of an old incarnation's connection after a restarted node's new one was made.</summary>
    private TimeSpan SuspicionLimit => _suspicionLimit ??= Cluster.Get(Context.System).Settings.FailureDetectorConfig is var detector
        ? detector.GetTimeSpan("heartbeat-interval") + detector.GetTimeSpan("acceptable-heartbeat-pause")
        : TimeSpan.Zero;

    /// <summary>Applies a remoting event or an expired mark; whether the set of disconnected nodes changed.</summary>
    private bool OnConnectionEvent(object message)
    {
        switch (message)
        {
            case DisassociatedEvent d:
                var expiry = new ConnectionSuspicionExpired(d.RemoteAddress);
                Timers.StartSingleTimer(expiry, expiry, SuspicionLimit);
                return _disconnected.Add(d.RemoteAddress);
            case AssociatedEvent a:
                Timers.Cancel(new ConnectionSuspicionExpired(a.RemoteAddress));
                return _disconnected.Remove(a.RemoteAddress);
            case ConnectionSuspicionExpired e:
                return _disconnected.Remove(e.Node);
            default:
                return false;
        }
    }

    private sealed record ConnectionSuspicionExpired(Address Node);
}
