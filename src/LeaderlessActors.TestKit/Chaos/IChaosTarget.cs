namespace LeaderlessActors.TestKit.Chaos;

/// <summary>
/// What the clients of a chaos run talk to on a node. <see cref="LeaderlessStoreTarget"/> is the store itself; a wrapper
/// (an application's data layer, a last-writer-wins register on top of the store, or a deliberately broken one that
/// shows the checker can fail) puts its own logic between the clients and the store.
/// </summary>
public interface IChaosTarget
{
    /// <summary>Reads <paramref name="key"/> through <paramref name="store"/>.</summary>
    Task<ReadResult> GetAsync(LeaderlessStore store, string key, ReadOptions options);

    /// <summary>Writes <paramref name="value"/> over <paramref name="context"/> through <paramref name="store"/>.</summary>
    Task<WriteResult> PutAsync(LeaderlessStore store, string key, byte[] value, CausalContext? context, WriteOptions options);

    /// <summary>Deletes <paramref name="key"/> over <paramref name="context"/> through <paramref name="store"/>.</summary>
    Task<WriteResult> DeleteAsync(LeaderlessStore store, string key, CausalContext? context, WriteOptions options);
}

/// <summary>The store itself: every call goes straight to <see cref="LeaderlessStore"/>.</summary>
public sealed class LeaderlessStoreTarget : IChaosTarget
{
    /// <summary>The one instance; it holds no state.</summary>
    public static LeaderlessStoreTarget Instance { get; } = new();

    private LeaderlessStoreTarget() { }

    /// <inheritdoc />
    public Task<ReadResult> GetAsync(LeaderlessStore store, string key, ReadOptions options) => store.GetAsync(key, options);

    /// <inheritdoc />
    public Task<WriteResult> PutAsync(LeaderlessStore store, string key, byte[] value, CausalContext? context, WriteOptions options) =>
        store.PutAsync(key, value, context, options);

    /// <inheritdoc />
    public Task<WriteResult> DeleteAsync(LeaderlessStore store, string key, CausalContext? context, WriteOptions options) =>
        store.DeleteAsync(key, context, options);
}
