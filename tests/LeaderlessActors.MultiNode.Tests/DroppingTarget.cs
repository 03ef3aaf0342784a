using System.Collections.Concurrent;
using System.Text;
using LeaderlessActors.TestKit.Chaos;

namespace LeaderlessActors.MultiNode.Tests;

/// <summary>A deliberately broken target, as a negative control: every <c>dropEvery</c>-th put is acknowledged without
/// being written. Everything else goes to the store.</summary>
internal sealed class DroppingTarget(int dropEvery) : IChaosTarget
{
    private int _puts;

    /// <summary>The values acknowledged and dropped.</summary>
    public ConcurrentBag<string> Dropped { get; } = [];

    public Task<ReadResult> GetAsync(LeaderlessStore store, string key, ReadOptions options) => store.GetAsync(key, options);

    public Task<WriteResult> PutAsync(LeaderlessStore store, string key, byte[] value, CausalContext? context, WriteOptions options)
    {
        if (Interlocked.Increment(ref _puts) % dropEvery != 0) return store.PutAsync(key, value, context, options);
        Dropped.Add(Encoding.UTF8.GetString(value));
        return Task.FromResult(new WriteResult(context ?? CausalContext.Empty, []));
    }

    public Task<WriteResult> DeleteAsync(LeaderlessStore store, string key, CausalContext? context, WriteOptions options) =>
        store.DeleteAsync(key, context, options);
}
