namespace LeaderlessActors.Versioning;

/// <summary>
/// The versioned state of one key on one replica, a dotted version vector set: the causal history it has seen
/// (<see cref="Clock"/>) and the concurrent versions not yet overwritten (<see cref="Siblings"/>, each tagged with the dot
/// of the write that made it). Every sibling's dot is covered by the clock.
/// Replicas always exchange whole key states, so a clock is an exact summary of the writes the state reflects, and two
/// states with equal clocks hold equal siblings. <see cref="Merge"/> is commutative, associative and idempotent.
/// </summary>
internal sealed class SiblingSet : IEquatable<SiblingSet>
{
    public static readonly SiblingSet Empty = new(VersionVector.Empty, []);

    private readonly Sibling[] _siblings;

    public SiblingSet(VersionVector clock, Sibling[] siblings)
    {
        Clock = clock;
        _siblings = siblings;
    }

    public VersionVector Clock { get; }

    public IReadOnlyList<Sibling> Siblings => _siblings;

    /// <summary>True when at least one sibling is a value rather than a tombstone.</summary>
    public bool HasValues => _siblings.Any(s => !s.IsTombstone);

    public IReadOnlyList<byte[]> Values => _siblings.Where(s => !s.IsTombstone).Select(s => s.Value!).ToArray();

    /// <summary>
    /// The write a coordinating replica performs: siblings the client had seen (covered by <paramref name="context"/>) are
    /// replaced by one new sibling whose dot is the replica's next event. Siblings written concurrently with the client's
    /// read survive next to it. A null <paramref name="value"/> writes a tombstone.
    /// </summary>
    public SiblingSet Update(VersionVector context, byte[]? value, long replica)
    {
        // Past everything the context claims too: a dot it already covers would be dropped on merge by any state that
        // was written under the same context (contexts are not bound to a key, so a client may pass a bigger one).
        var dot = new Dot(replica, Math.Max(Clock.Get(replica), context.Get(replica)) + 1);
        var kept = _siblings.Where(s => !context.Covers(s.Dot));
        var siblings = kept.Append(new Sibling(dot, value)).OrderBy(s => s.Dot.Replica).ThenBy(s => s.Dot.Counter).ToArray();
        return new SiblingSet(Clock.Merge(context).With(dot), siblings);
    }

    /// <summary>
    /// Joins two replicas' states of the same key: a sibling survives when both sides hold it, or when the other side has
    /// not seen its dot. A sibling that one side has seen and dropped was overwritten there, so it goes.
    /// </summary>
    public SiblingSet Merge(SiblingSet other)
    {
        if (ReferenceEquals(this, other) || other.Clock.Count == 0 && other._siblings.Length == 0) return this;
        if (Clock.Count == 0 && _siblings.Length == 0) return other;
        var result = new List<Sibling>(_siblings.Length + other._siblings.Length);
        foreach (var s in _siblings)
            if (other.Contains(s.Dot) || !other.Clock.Covers(s.Dot)) result.Add(s);
        foreach (var s in other._siblings)
            if (!Contains(s.Dot) && !Clock.Covers(s.Dot)) result.Add(s);
        result.Sort(static (a, b) => a.Dot.Replica != b.Dot.Replica
            ? a.Dot.Replica.CompareTo(b.Dot.Replica)
            : a.Dot.Counter.CompareTo(b.Dot.Counter));
        return new SiblingSet(Clock.Merge(other.Clock), result.ToArray());
    }

    /// <summary>True when this state already reflects everything in <paramref name="other"/>.</summary>
    public bool Descends(SiblingSet other) => Clock.Descends(other.Clock);

    private bool Contains(Dot dot)
    {
        foreach (var s in _siblings)
            if (s.Dot == dot) return true;
        return false;
    }

    public bool Equals(SiblingSet? other) =>
        other is not null && (ReferenceEquals(this, other) ||
                              Clock.Equals(other.Clock) && _siblings.AsSpan().SequenceEqual(other._siblings));

    public override bool Equals(object? obj) => Equals(obj as SiblingSet);

    public override int GetHashCode() => Clock.GetHashCode();

    public override string ToString() =>
        $"{Clock} [{string.Join(", ", _siblings.Select(s => s.IsTombstone ? $"{s.Dot.Replica:x}:{s.Dot.Counter}=†" : $"{s.Dot.Replica:x}:{s.Dot.Counter}={s.Value!.Length}B"))}]";
}
