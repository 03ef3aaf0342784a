using System.Text;
using LeaderlessActors.TestKit.Chaos;

namespace LeaderlessActors.MultiNode.Tests;

/// <summary>
/// A last-writer-wins register on top of the store, as a negative control: every value is stored with its writer's clock
/// reading, and a read returns only the newest sibling while handing back the context of all of them, so concurrent
/// writes are silently discarded. Correct for a single writer, and exactly what the checker must catch otherwise.
/// </summary>
internal sealed class LastWriterWinsTarget : IChaosTarget
{
    public async Task<ReadResult> GetAsync(LeaderlessStore store, string key, ReadOptions options)
    {
        var read = await store.GetAsync(key, options);
        var newest = read.Values.Select(Encoding.UTF8.GetString).MaxBy(v => long.Parse(v[..v.IndexOf('|')]));
        return read with { Values = newest is null ? [] : [Encoding.UTF8.GetBytes(newest[(newest.IndexOf('|') + 1)..])] };
    }

    public Task<WriteResult> PutAsync(LeaderlessStore store, string key, byte[] value, CausalContext? context, WriteOptions options) =>
        store.PutAsync(key, Encoding.UTF8.GetBytes($"{DateTime.UtcNow.Ticks}|{Encoding.UTF8.GetString(value)}"), context, options);

    public Task<WriteResult> DeleteAsync(LeaderlessStore store, string key, CausalContext? context, WriteOptions options) =>
        store.DeleteAsync(key, context, options);
}
