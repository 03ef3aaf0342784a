namespace LeaderlessActors.Benchmarks.Metering;

/// <summary>
/// Counts the messages the counting serializers write and their bytes: what crosses the wire (journal writes do not pass
/// through them). Process-wide: one cluster is measured at a time.
/// </summary>
internal static class WireCounter
{
    private static long _messages;
    private static long _bytes;

    public static void Record(int bytes)
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Add(ref _bytes, bytes);
    }

    public static WireCount Snapshot() => new(Interlocked.Read(ref _messages), Interlocked.Read(ref _bytes));
}

/// <summary>Remote messages and their serialized bytes written so far.</summary>
internal readonly record struct WireCount(long Messages, long Bytes)
{
    public static WireCount operator -(WireCount a, WireCount b) => new(a.Messages - b.Messages, a.Bytes - b.Bytes);
}
