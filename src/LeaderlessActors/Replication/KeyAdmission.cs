using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

/// <summary>The bounds every replica holds a key's state to (leaderless.max-siblings, max-key-state-bytes,
/// max-clock-entries).</summary>
internal sealed record KeyLimits(int MaxSiblings, long MaxStateBytes, int MaxClockEntries)
{
    /// <summary>The limits of <paramref name="settings"/>; a byte bound still 0 (no remote frame to derive it from) is none.</summary>
    public static KeyLimits From(LeaderlessSettings settings) =>
        new(settings.MaxSiblings, settings.MaxKeyStateBytes == 0 ? long.MaxValue : settings.MaxKeyStateBytes, settings.MaxClockEntries);
}

/// <summary>Why a replica refused a write: what the coordinator reports, typed by <see cref="Failure"/>.</summary>
internal sealed record Refusal(ReplicaFailure Failure, string Message);

/// <summary>
/// Whether a replica takes a write of a key: pure rules on the state it holds and the state the write would leave. The
/// coordinating replica refuses a client write that would leave the key past a bound (siblings, bytes, clock entries)
/// and larger than it is, before anything is stored. A replica the write is then replicated to holds it to its own
/// sibling bound too, so no replica's siblings grow past it by client writes. Bytes and clock entries are judged where
/// the version is made only: a replica that refused a write already stored elsewhere would turn two legitimate
/// concurrent writes into an unknown outcome without bounding anything (repair joins them anyway). Repairs are never
/// judged: they merge versions replicas acknowledged, and refusing one would lose data. So a state may pass the byte
/// bound by joining concurrent writes made on different replicas, up to N times it; the frame rule
/// (<see cref="FrameBudget"/>) leaves room for that, and a write that shrinks such a state (one with a read's context)
/// is always taken, so a key is never jammed.
/// </summary>
internal static class KeyAdmission
{
    /// <summary>The write a coordinating replica makes (see <see cref="SiblingSet.Write"/>), or why it refuses it.</summary>
    public static Refusal? Coordinate(string key, SiblingSet held, VersionVector context, byte[]? value, long replica,
        KeyLimits limits, out SiblingSet state, out Dot issued)
    {
        try
        {
            (state, issued) = held.Write(context, value, replica);
        }
        catch (OverflowException)
        {
            (state, issued) = (held, default);
            return new(ReplicaFailure.KeyStateLimit, "this replica's version counter of the key would pass long.MaxValue");
        }
        return Judge(key, held, state, limits);
    }

    /// <summary>Whether a replica takes a client write replicated to it, which would leave <paramref name="merged"/>.</summary>
    public static Refusal? Replicate(SiblingSet held, SiblingSet merged, KeyLimits limits) => JudgeSiblings(held, merged, limits);

    private static Refusal? JudgeSiblings(SiblingSet held, SiblingSet next, KeyLimits limits) =>
        next.Siblings.Count > limits.MaxSiblings && next.Siblings.Count > held.Siblings.Count
            ? new(ReplicaFailure.SiblingLimit, $"the write would leave {next.Siblings.Count} siblings")
            : null;

    private static Refusal? Judge(string key, SiblingSet held, SiblingSet next, KeyLimits limits)
    {
        if (JudgeSiblings(held, next, limits) is { } siblings) return siblings;
        if (next.Clock.Count > limits.MaxClockEntries && next.Clock.Count > held.Clock.Count)
            return new(ReplicaFailure.KeyStateLimit,
                $"the write would leave {next.Clock.Count} clock entries (leaderless.max-clock-entries is {limits.MaxClockEntries})");
        var bytes = KeyStateSize.Of(key, next);
        if (bytes > limits.MaxStateBytes && bytes > KeyStateSize.Of(key, held))
            return new(ReplicaFailure.KeyStateLimit,
                $"the write would leave about {bytes} bytes of state (leaderless.max-key-state-bytes is {limits.MaxStateBytes})");
        return null;
    }
}
