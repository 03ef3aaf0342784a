using LeaderlessActors.Versioning;

namespace LeaderlessActors;

/// <summary>
/// The one rule tying the store's limits to Akka.Remote's <c>maximum-frame-size</c>, used both to size the frame
/// (Akka.Hosting) and to check a given one at start-up. The largest remote message carries one key's state: a read answer,
/// a repair, or a resync chunk of a single key (chunks otherwise stay under half a frame). A client write may leave at
/// most <c>max-key-state-bytes</c> in a key's state on the replica that takes it, but concurrent writes taken by different
/// replicas are joined by repair, and a repair may not drop them; the N replicas of a key each hold their own writes to
/// the bound, so the frame must carry N times it.
/// </summary>
internal static class FrameBudget
{
    public const string FrameKey = "akka.remote.dot-netty.tcp.maximum-frame-size";

    // Around one key's state: the message's ids, addresses and serializer framing.
    private const long EnvelopeBytes = 64 * 1024;

    // A clock a single value's state is sized with: a handful of replica epochs.
    private const int TypicalClockEntries = 16;

    /// <summary>The state of one key holding one value of max-value-bytes: the least max-key-state-bytes may be.</summary>
    public static long StateOfOneValue(LeaderlessSettings settings) =>
        KeyStateSize.OverheadPerKey + 3L * settings.MaxKeyBytes + TypicalClockEntries * (long)KeyStateSize.BytesPerClockEntry +
        KeyStateSize.OverheadPerSibling + settings.MaxValueBytes;

    /// <summary>The frame that carries N states of <paramref name="keyStateBytes"/>, with a message's envelope.</summary>
    public static long FrameFor(LeaderlessSettings settings, long keyStateBytes) =>
        settings.ReplicationFactor * keyStateBytes + EnvelopeBytes;

    /// <summary>The frame Akka.Hosting gives a node: the configured key-state bound, or one full value when it is derived.</summary>
    public static long FrameFor(LeaderlessSettings settings) =>
        FrameFor(settings, settings.MaxKeyStateBytes != 0 ? settings.MaxKeyStateBytes : StateOfOneValue(settings));

    /// <summary>
    /// The settings a node with remote frames of <paramref name="frame"/> bytes runs with: max-key-state-bytes resolved
    /// (derived from the frame when 0: N states and an envelope fill it), resync chunks kept to half a frame. Fails naming
    /// the key when the frame cannot carry one largest value, or N states of a configured bound. A derived bound below one
    /// value's state refuses the largest values with a typed error at write; a frame of <see cref="FrameFor(LeaderlessSettings)"/>
    /// avoids that.
    /// </summary>
    public static LeaderlessSettings Fit(long frame, LeaderlessSettings settings)
    {
        var stateBytes = settings.MaxKeyStateBytes;
        if (frame < StateOfOneValue(settings) + EnvelopeBytes)
            throw new LeaderlessConfigurationException(FrameKey,
                $"{frame} bytes cannot carry a value of leaderless.max-value-bytes = {settings.MaxValueBytes}; set it to at least " +
                $"{StateOfOneValue(settings) + EnvelopeBytes} (or {FrameFor(settings)} so that every replica may hold one) or lower leaderless.max-value-bytes.");
        if (stateBytes == 0) stateBytes = (frame - EnvelopeBytes) / settings.ReplicationFactor;
        else if (FrameFor(settings, stateBytes) > frame)
            throw new LeaderlessConfigurationException(FrameKey,
                $"{frame} bytes cannot carry {settings.ReplicationFactor} key states of leaderless.max-key-state-bytes = {stateBytes}; " +
                $"set it to at least {FrameFor(settings, stateBytes)} or lower leaderless.max-key-state-bytes.");
        var chunkBytes = (int)Math.Min(settings.Repair.ChunkBytes, frame / 2);
        return settings with { MaxKeyStateBytes = stateBytes, Repair = settings.Repair with { ChunkBytes = chunkBytes } };
    }
}
