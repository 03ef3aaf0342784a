namespace LeaderlessActors;

/// <summary>
/// The store's client API, for dependency injection and test doubles: reads, writes and deletes with causal contexts,
/// and per-replica inspection. <see cref="LeaderlessStore"/> implements it; with Akka.Hosting,
/// <c>services.AddLeaderlessStore()</c> registers it.
/// </summary>
public interface ILeaderlessStore
{
    /// <summary>Reads a key from R replicas. See <see cref="LeaderlessStore.GetAsync"/>.</summary>
    Task<ReadResult> GetAsync(string key, ReadOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Writes a value over the versions the context has seen. See <see cref="LeaderlessStore.PutAsync"/>.</summary>
    Task<WriteResult> PutAsync(string key, byte[] value, CausalContext? context = null, WriteOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>Deletes a key by a tombstone over the versions the context has seen. See
    /// <see cref="LeaderlessStore.DeleteAsync"/>.</summary>
    Task<WriteResult> DeleteAsync(string key, CausalContext? context = null, WriteOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>Each reachable replica's own state of a key. See <see cref="LeaderlessStore.InspectAsync"/>.</summary>
    Task<KeyInspection> InspectAsync(string key, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary>This node's current view of the ring and of reachability.</summary>
    RingView Ring { get; }

    /// <summary>Whether this node serves requests now.</summary>
    StoreHealth Health { get; }

    /// <summary>Completes once this node's storage has answered.</summary>
    Task StorageReady { get; }
}
