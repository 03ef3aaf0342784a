using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

/// <summary>
/// How background repair cuts a partition's keys into messages: about <c>chunkBytes</c> each (by
/// <see cref="KeyStateSize"/>), but at least one key, since a single key's state is what a read or repair sends in one
/// message too. An estimate is enough: chunks are kept to half a frame, and one key's state always fits a frame
/// (<c>FrameBudget</c>). Shared by a resync's streamer and a stray copy's hand-over, so both load links and receivers alike.
/// </summary>
internal static class KeyChunks
{
    /// <summary>The end (exclusive) of the chunk of <paramref name="entries"/> that starts at <paramref name="from"/>,
    /// and its estimated size in bytes.</summary>
    public static (int End, long Bytes) Next(IReadOnlyList<KeyValuePair<string, SiblingSet>> entries, int from, long chunkBytes)
    {
        var end = from;
        long bytes = 0;
        while (end < entries.Count)
        {
            var size = KeyStateSize.Of(entries[end].Key, entries[end].Value);
            if (end > from && bytes + size > chunkBytes) break;
            bytes += size;
            end++;
        }
        return (end, bytes);
    }
}
