using Akka.Actor;

namespace LeaderlessActors.Coordination;

/// <summary>
/// The one reply address of a store's async API, instead of Akka's Ask, which builds a temporary actor (a ref, a path, a
/// registration) per call. Each call waits on its own completion source, found by the request's correlation id. A reply
/// arrives on the coordinator's thread (see <see cref="IdRoutedRef{TId,TWaiter}"/>) and completes the caller's task from
/// the thread pool's global queue, never its thread-local one: a caller that sends its next request from the continuation
/// would otherwise keep that thread's local queue full, and a thread pool worker always takes local work before global,
/// where Akka's scheduler ticks wait (its timer wheel advances on a .NET timer callback). Under a steady load of local
/// One reads that starved the ticks for seconds: cluster heartbeats went late and peers were marked unreachable. Every entry
/// leaves the map when its call ends (answered, timed out or cancelled), so the map holds only calls in flight, and a
/// reply that comes after its caller gave up finds nothing and is dropped.
/// </summary>
internal sealed class ReplyReceiver(IActorRefProvider provider) : IdRoutedRef<Guid, TaskCompletionSource<object>>(provider)
{
    /// <summary>Sends <paramref name="request"/> itself; see the overload.</summary>
    public Task<object> Ask(IActorRef target, IStoreRequest request, TimeSpan timeout, CancellationToken cancellationToken) =>
        Ask(target, request, request, timeout, cancellationToken);

    /// <summary>
    /// Sends <paramref name="message"/> (the request itself, or a wrapper that carries it, such as a traced request) to
    /// <paramref name="target"/> with this as the sender and waits for the reply that carries the request's correlation id.
    /// </summary>
    /// <exception cref="TimeoutException">No reply within <paramref name="timeout"/>.</exception>
    /// <exception cref="TaskCanceledException"><paramref name="cancellationToken"/> was cancelled first (as Akka's Ask).</exception>
    /// <exception cref="InvalidOperationException">A call with the same correlation id is waiting already.</exception>
    public async Task<object> Ask(IActorRef target, IStoreRequest request, object message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<object>();
        var id = request.CorrelationId;
        Add(id, reply);
        try
        {
            target.Tell(message, this);
            return await reply.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Remove(id, reply);
        }
    }

    protected override Guid? IdOf(object message) => message switch
    {
        GetResponse r => r.CorrelationId,
        WriteResponse w => w.CorrelationId,
        InspectResponse i => i.CorrelationId,
        RequestFailed f => f.CorrelationId,
        _ => null,
    };

    // The caller's continuation runs inline in that work item (the completion source does not run continuations
    // asynchronously): off the coordinator's thread, taking its turn with the actors' mailboxes and the scheduler.
    protected override void Deliver(TaskCompletionSource<object> waiter, object message, IActorRef sender) =>
        ThreadPool.UnsafeQueueUserWorkItem(static s => s.waiter.TrySetResult(s.message), (waiter, message), preferLocal: false);
}
