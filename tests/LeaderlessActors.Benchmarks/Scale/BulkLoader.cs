namespace LeaderlessActors.Benchmarks.Scale;

/// <summary>
/// Writes or deletes keys <c>key-0000000</c> on through the store's API, keeping a window of requests in flight: each
/// write is acknowledged only once durable. A delete reads its key first, so the delete's context covers the value.
/// </summary>
internal static class BulkLoader
{
    private const int Window = 2048;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromMinutes(30);

    public static string KeyOf(int index) => $"key-{index:D7}";

    public static Task PutAllAsync(ILeaderlessStore store, int keys, byte[] value) =>
        ForEachKeyAsync(keys, key => store.PutAsync(key, value, options: new WriteOptions { Timeout = RequestTimeout }));

    public static Task DeleteAllAsync(ILeaderlessStore store, int keys) =>
        ForEachKeyAsync(keys, async key =>
        {
            var read = await store.GetAsync(key, new ReadOptions { Timeout = RequestTimeout });
            await store.DeleteAsync(key, read.Context, new WriteOptions { Timeout = RequestTimeout });
        });

    private static Task ForEachKeyAsync(int keys, Func<string, Task> request) =>
        Parallel.ForEachAsync(Enumerable.Range(0, keys), new ParallelOptions { MaxDegreeOfParallelism = Window },
            async (index, _) => await request(KeyOf(index))).WaitAsync(LoadTimeout);
}
