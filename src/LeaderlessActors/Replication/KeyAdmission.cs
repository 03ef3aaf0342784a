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
/// Whether a replica takes a write of a key: pure rules on the state it holds and the state the write would leave. A
/// client write (coordinated here, or replicated here by its coordinator) is refused when it would leave the key past a
/// bound and larger than it is. Repairs are never judged here: they merge versions other replicas acknowledged, and
/// refusing one would lose data. So a state may pass a bound through repairs of concurrent writes; the frame rule
/// (<see cref="FrameBudget"/>) leaves room for that, and a write that shrinks such a state (one with a read's context) is
/// always taken, so a key is never jammed.
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
    public static Refusal? Replicate(string key, SiblingSet held, SiblingSet merged, KeyLimits limits) =>
        Judge(key, held, merged, limits);

    private static Refusal? Judge(string key, SiblingSet held, SiblingSet next, KeyLimits limits)
    {
        if (next.Siblings.Count > limits.MaxSiblings && next.Siblings.Count > held.Siblings.Count)
            return new(ReplicaFailure.SiblingLimit, $"the write would leave {next.Siblings.Count} siblings");
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
