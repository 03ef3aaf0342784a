using System.Collections.Concurrent;
using Akka.Actor;

namespace LeaderlessActors.Coordination;

/// <summary>
/// The one reply address of a store's async API, instead of Akka's Ask, which builds a temporary actor (a ref, a path, a
/// registration) per call. Each call waits on its own completion source, found by the request's correlation id. A bare
/// actor ref rather than an actor: a reply completes the caller's task on the coordinator's thread, without a mailbox hop.
/// Every entry leaves the map when its call ends (answered, timed out or cancelled), so the map holds only calls in flight,
/// and a reply that comes after its caller gave up finds nothing and is dropped.
/// </summary>
internal sealed class ReplyReceiver : MinimalActorRef
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<object>> _waiting = new();

    public ReplyReceiver(IActorRefProvider provider)
    {
        Provider = provider;
        // Registered like Ask's temporary actors, so that the ref resolves from its path as theirs did.
        Path = provider.TempPath();
        provider.RegisterTempActor(this, Path);
    }

    public override ActorPath Path { get; }

    public override IActorRefProvider Provider { get; }

    /// <summary>Calls waiting for their reply.</summary>
    internal int Waiting => _waiting.Count;

    /// <summary>Sends <paramref name="request"/> itself; see the overload.</summary>
    public Task<object> Ask(IActorRef target, IStoreRequest request, TimeSpan timeout, CancellationToken cancellationToken) =>
        Ask(target, request, request, timeout, cancellationToken);

    /// <summary>
    /// Sends <paramref name="message"/> (the request itself, or a wrapper that carries it, such as a traced request) to
    /// <paramref name="target"/> with this as the sender and waits for the reply that carries the request's correlation id.
    /// </summary>
    /// <exception cref="TimeoutException">No reply within <paramref name="timeout"/>.</exception>
    /// <exception cref="TaskCanceledException"><paramref name="cancellationToken"/> was cancelled first (as Akka's Ask).</exception>
    public async Task<object> Ask(IActorRef target, IStoreRequest request, object message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        var entry = KeyValuePair.Create(request.CorrelationId, reply);
        if (!_waiting.TryAdd(entry.Key, reply))
            throw new InvalidOperationException($"A request with correlation id {entry.Key} is already waiting for its reply.");
        try
        {
            target.Tell(message, this);
            return await reply.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Removes this call's own entry only (a no-op when the reply already took it out).
            _waiting.TryRemove(entry);
        }
    }

    protected override void TellInternal(object message, IActorRef sender)
    {
        var correlationId = message switch
        {
            GetResponse r => r.CorrelationId,
            WriteResponse w => w.CorrelationId,
            InspectResponse i => i.CorrelationId,
            RequestFailed f => f.CorrelationId,
            _ => (Guid?)null,
        };
        if (correlationId is { } id && _waiting.TryRemove(id, out var reply)) reply.TrySetResult(message);
    }
}
