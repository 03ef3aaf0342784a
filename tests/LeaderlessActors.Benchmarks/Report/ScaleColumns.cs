using LeaderlessActors.Benchmarks.Scale;

namespace LeaderlessActors.Benchmarks.Report;

/// <summary>The columns of the scale table, shared by the console and the markdown report.</summary>
internal static class ScaleColumns
{
    public static readonly string[] Headers =
        ["storage", "keys", "load keys/s", "heap B/key", "recovery s", "recovered keys/s", "partitions verified", "how recovered",
            "heap B/key after all deleted"];

    public static string[] Values(ScaleResult r) =>
    [
        r.Backend,
        ResultColumns.Number(r.Keys, "N0"),
        ResultColumns.Number(r.LoadKeysPerSecond, "N0"),
        ResultColumns.Number(r.HeapBytesPerKey, "N0"),
        r.RecoverySeconds is { } seconds ? ResultColumns.Number(seconds, "N2") : "n/a",
        r.RecoverySeconds is { } recovery ? ResultColumns.Number(r.Keys / recovery, "N0") : "n/a",
        $"{r.PartitionsVerified}/{r.Partitions}",
        r.RecoveryMethod,
        r.HeapBytesPerKeyAfterDelete is { } after ? ResultColumns.Number(after, "N0") : "n/a",
    ];
}
