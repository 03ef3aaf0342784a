using System.Collections.Concurrent;

namespace LeaderlessActors.Benchmarks.Metering;

/// <summary>
/// Counts what the counting serializers write, split into messages that cross the wire and events written to a journal
/// (which also go through the serializer with SQL storage). Process-wide: one cluster is measured at a time.
/// </summary>
internal static class WireCounter
{
    // Store events and snapshots: serialized for the journal (through the wire format), never sent between nodes.
    private static readonly ConcurrentDictionary<Type, bool> IsJournal = new();
    private static long _messages;
    private static long _bytes;

    public static void Record(object message, int bytes)
    {
        if (IsJournal.GetOrAdd(message.GetType(), static t => typeof(LeaderlessActors.Serialization.ILeaderlessStoredEntry).IsAssignableFrom(t))) return;
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
