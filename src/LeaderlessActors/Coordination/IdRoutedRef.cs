using System.Collections.Concurrent;
using Akka.Actor;

namespace LeaderlessActors.Coordination;

/// <summary>
/// A bare actor ref at one fixed temporary path that hands each message to whoever waits for the id it carries: the one
/// reply address of many requests in flight. Fixed, so that a node it sends to resolves its path once (Akka caches
/// resolved paths) instead of a new one per request; bare rather than an actor, so that a reply reaches its waiter on the
/// sender's thread, without a mailbox hop. A message whose id nobody waits for (its waiter gave up or stopped) is dropped.
/// </summary>
internal abstract class IdRoutedRef<TId, TWaiter> : MinimalActorRef where TId : struct
{
    private readonly ConcurrentDictionary<TId, TWaiter> _waiting = new();

    protected IdRoutedRef(IActorRefProvider provider)
    {
        Provider = provider;
        // Registered like Ask's temporary actors, so that the ref resolves from its path as theirs did, remotely too.
        Path = provider.TempPath();
        provider.RegisterTempActor(this, Path);
    }

    public override ActorPath Path { get; }

    public override IActorRefProvider Provider { get; }

    /// <summary>Waiters registered now.</summary>
    internal int Waiting => _waiting.Count;

    /// <summary>Frees the path once the owner is gone: messages sent to it after this are Akka's dead letters.</summary>
    public void Close() => Provider.UnregisterTempActor(Path);

    /// <exception cref="InvalidOperationException">Another waiter already waits for <paramref name="id"/>.</exception>
    protected void Add(TId id, TWaiter waiter)
    {
        if (!_waiting.TryAdd(id, waiter))
            throw new InvalidOperationException($"{GetType().Name}: something already waits for id {id}.");
    }

    /// <summary>Removes <paramref name="waiter"/>'s own entry only: a no-op when another now waits for the id.</summary>
    protected void Remove(TId id, TWaiter waiter) => _waiting.TryRemove(KeyValuePair.Create(id, waiter));

    /// <summary>The id <paramref name="message"/> is routed by; null for a message of none.</summary>
    protected abstract TId? IdOf(object message);

    protected abstract void Deliver(TWaiter waiter, object message, IActorRef sender);

    protected override void TellInternal(object message, IActorRef sender)
    {
        if (IdOf(message) is { } id && _waiting.TryGetValue(id, out var waiter)) Deliver(waiter, message, sender);
    }
}
