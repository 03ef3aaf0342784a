using LeaderlessActors.Diagnostics;

namespace LeaderlessActors.Benchmarks.AntiEntropy;

/// <summary>The bytes and time of one anti-entropy round that repairs <paramref name="Differing"/> keys out of
/// <paramref name="Keys"/> on a replica.</summary>
internal sealed record AntiEntropyResult(int Keys, int Differing, long KeysRepaired, long Bytes, double Seconds);

/// <summary>
/// Two nodes are given the same <c>--anti-entropy-keys</c> key states; then, for each count of differences, that many keys
/// get a newer version on the first node only, and one exchange of every partition between the two repairs them. The
/// store measures it itself (<see cref="AntiEntropyCost"/>: filling replicas with given states and running one exchange
/// round between two unclustered nodes take its internals). Bytes are what the exchanges count (the store's own
/// anti_entropy.bytes metric), time is the round's, unthrottled and without a network between the nodes.
/// </summary>
internal static class AntiEntropyFigures
{
    public static async Task<IReadOnlyList<AntiEntropyResult>> RunAsync(int keys, int valueBytes, IReadOnlyList<int> differences) =>
        (await AntiEntropyCost.MeasureAsync(keys, valueBytes, differences))
        .Select(r => new AntiEntropyResult(r.Keys, r.Differing, r.KeysRepaired, r.Bytes, r.Duration.TotalSeconds)).ToArray();

    /// <summary>The report's line: bytes and time per count of differences.</summary>
    public static string Describe(IReadOnlyList<AntiEntropyResult> results) => results.Count == 0
        ? "not measured (--suites without anti-entropy)"
        : string.Join("; ", results.Select(r =>
            $"{r.Differing} of {r.Keys:N0} keys differ: {r.Bytes:N0} bytes ({(double)r.Bytes / Math.Max(1, r.Differing):N0} per key), " +
            $"{r.KeysRepaired} repaired in {r.Seconds:N2} s"));
}
