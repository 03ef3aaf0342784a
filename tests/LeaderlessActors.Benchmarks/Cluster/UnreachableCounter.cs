using Akka.Actor;
using Akka.Cluster;

namespace LeaderlessActors.Benchmarks.Cluster;

/// <summary>
/// Counts how often the nodes of this process saw a member become unreachable, so a row can show that its load starved
/// the failure detector (the target for One-level rows: no member ever marked unreachable). Stopping the
/// counter unsubscribes.
/// </summary>
internal sealed class UnreachableCounter : IAsyncDisposable
{
    private readonly List<IActorRef> _listeners = [];
    private long _seen;

    private UnreachableCounter() { }

    /// <summary>Unreachable-member events seen so far, summed over the local nodes.</summary>
    public long Seen => Interlocked.Read(ref _seen);

    public static UnreachableCounter Start(IEnumerable<ActorSystem> nodes)
    {
        var counter = new UnreachableCounter();
        foreach (var node in nodes)
            counter._listeners.Add(node.ActorOf(Props.Create(() => new Listener(counter)), "bench-unreachable-counter"));
        return counter;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _listeners)
        {
            try
            {
                await listener.GracefulStop(TimeSpan.FromSeconds(3));
            }
            catch (Exception e) when (e is TaskCanceledException or AskTimeoutException)
            {
                // The node is shutting down already.
            }
        }
    }

    private sealed class Listener : ReceiveActor
    {
        public Listener(UnreachableCounter counter)
        {
            Receive<ClusterEvent.UnreachableMember>(_ => Interlocked.Increment(ref counter._seen));
        }

        protected override void PreStart() =>
            Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(ClusterEvent.UnreachableMember));

        protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
    }
}
