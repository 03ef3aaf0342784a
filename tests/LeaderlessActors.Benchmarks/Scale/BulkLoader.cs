namespace LeaderlessActors.Benchmarks.Scale;

/// <summary>
/// Writes or deletes keys <c>key-0000000</c> on through the store's API, keeping a window of requests in flight: each
/// write is acknowledged only once durable. A delete reads its key first, so the delete's context covers the value. A
/// request whose outcome is unknown (its journal write timed out on a loaded machine) is retried, as a client would:
/// writing the same value again adds nothing when the first attempt was stored.
/// </summary>
internal static class BulkLoader
{
    private const int Window = 2048;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromMinutes(30);
    private const int Attempts = 3;

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
            async (index, _) => await WithRetries(request, KeyOf(index))).WaitAsync(LoadTimeout);

    private static async Task WithRetries(Func<string, Task> request, string key)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await request(key);
                return;
            }
            catch (WriteOutcomeUnknownException) when (attempt < Attempts)
            {
            }
        }
    }
}
