namespace LeaderlessActors.Versioning;

/// <summary>
/// The estimated serialized size of a key with its state: what one remote message carrying it (a read answer, a repair,
/// a resync chunk of one key) costs on the wire. Limits on a key's state and the frame rule both use this one estimate.
/// </summary>
internal static class KeyStateSize
{
    // Serialized framing around keys, clock entries and values (measured at about 20-30 bytes each, rounded up): an
    // estimate is enough, since the limits it serves leave room for a message's envelope.
    public const int OverheadPerKey = 48, BytesPerClockEntry = 32, OverheadPerSibling = 48;

    public static long Of(string key, SiblingSet state)
    {
        long size = OverheadPerKey + key.Length * 3L + state.Clock.Count * (long)BytesPerClockEntry;
        foreach (var sibling in state.Siblings) size += (sibling.Value?.Length ?? 0) + OverheadPerSibling;
        return size;
    }
}
