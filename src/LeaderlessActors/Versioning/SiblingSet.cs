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
    /// A new version: siblings the client had seen (covered by <paramref name="context"/>) are replaced by one new sibling
    /// whose dot is the next event of <paramref name="epoch"/>. Siblings written concurrently with the client's read survive next to it. A
    /// null <paramref name="value"/> writes a tombstone.
    /// </summary>
    /// <exception cref="OverflowException">The replica's counter for this key would pass <see cref="long.MaxValue"/>.</exception>
    public SiblingSet Update(VersionVector context, byte[]? value, long epoch) => NewVersion(context, value, epoch).State;

    /// <summary>
    /// The write a coordinating replica performs, and the dot that holds the written value afterwards: <see cref="Update"/>,
    /// except that a value equal to a sibling the client had not seen (a retry of a write whose outcome was unknown,
    /// landing where the first attempt is stored) adds no sibling: that sibling already holds it, so its dot is returned
    /// and no dot is issued. Only siblings the context covers go, as in any write, so merge stays a join and replicas
    /// converge; a retry landing elsewhere leaves two siblings of one value, which a read returns once
    /// (<see cref="DistinctValues"/>) and the next write with its context resolves.
    /// </summary>
    /// <exception cref="OverflowException">The replica's counter for this key would pass <see cref="long.MaxValue"/>.</exception>
    public (SiblingSet State, Dot Issued) Write(VersionVector context, byte[]? value, long epoch)
    {
        foreach (var s in _siblings)
            if (!context.Covers(s.Dot) && SameValue(s.Value, value))
                return (new SiblingSet(Clock.Merge(context), _siblings.Where(k => !context.Covers(k.Dot)).ToArray()), s.Dot);
        return NewVersion(context, value, epoch);
    }

    private (SiblingSet State, Dot Issued) NewVersion(VersionVector context, byte[]? value, long epoch)
    {
        // Past everything the context claims too: a dot it already covers would be dropped on merge by any state that
        // was written under the same context. Checked: a counter never wraps into a dot that looks long seen.
        var dot = new Dot(epoch, checked(Math.Max(Clock.Get(epoch), context.Get(epoch)) + 1));
        var kept = _siblings.Where(s => !context.Covers(s.Dot));
        var siblings = kept.Append(new Sibling(dot, value)).OrderBy(s => s.Dot.Epoch).ThenBy(s => s.Dot.Counter).ToArray();
        return (new SiblingSet(Clock.Merge(context).With(dot), siblings), dot);
    }

    private static bool SameValue(byte[]? a, byte[]? b) =>
        a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    /// <summary>The distinct values, in sibling order: two siblings holding equal bytes (the same write made twice on
    /// different replicas, say a retry after an unknown outcome) are one value to a reader.</summary>
    public IReadOnlyList<byte[]> DistinctValues()
    {
        var values = new List<byte[]>(_siblings.Length);
        foreach (var s in _siblings)
            if (!s.IsTombstone && !values.Any(v => SameValue(v, s.Value))) values.Add(s.Value!);
        return values;
    }

    /// <summary>
    /// The context of the client that wrote <paramref name="dot"/> under <paramref name="context"/> into this state: what
    /// it had seen plus its own version, never a sibling written concurrently by others. A version vector cannot leave
    /// out a lower dot of the same replica, so while this state holds such a sibling the client had not seen, its own
    /// version stays out instead: a write with the result then adds a sibling rather than dropping a version unseen.
    /// </summary>
    public VersionVector WriterContext(Dot dot, VersionVector context)
    {
        var withOwn = context.With(dot);
        foreach (var s in _siblings)
            if (s.Dot != dot && withOwn.Covers(s.Dot) && !context.Covers(s.Dot)) return context;
        return withOwn;
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
        result.Sort(static (a, b) => a.Dot.Epoch != b.Dot.Epoch
            ? a.Dot.Epoch.CompareTo(b.Dot.Epoch)
            : a.Dot.Counter.CompareTo(b.Dot.Counter));
        return new SiblingSet(Clock.Merge(other.Clock), result.ToArray());
    }

    /// <summary>
    /// Whether the clock holds entries of epochs that no sibling carries a dot of: causal history of versions long
    /// overwritten, which <see cref="WithoutIdleEpochs"/> can prune once every owner holds this same state.
    /// </summary>
    public bool HasIdleEpochs
    {
        get
        {
            foreach (var e in Clock.Entries)
                if (!CarriesEpoch(e.Epoch)) return true;
            return false;
        }
    }

    /// <summary>
    /// This state with the clock entries of <see cref="HasIdleEpochs"/> pruned: the clock keeps the epochs of its siblings
    /// only, so it grows with the writers of the live versions, not with every epoch that ever wrote the key. Only safe
    /// when every owner prunes the same state and no older state of the key is still on its way (a dot of a pruned epoch
    /// would no longer be known as seen): replicas do it by causal stability, as they collect tombstones.
    /// </summary>
    public SiblingSet WithoutIdleEpochs() =>
        HasIdleEpochs ? new SiblingSet(VersionVector.From(Clock.Entries.Where(e => CarriesEpoch(e.Epoch))), _siblings) : this;

    private bool CarriesEpoch(long epoch)
    {
        foreach (var s in _siblings)
            if (s.Dot.Epoch == epoch) return true;
        return false;
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
        $"{Clock} [{string.Join(", ", _siblings.Select(s => s.IsTombstone ? $"{s.Dot.Epoch:x}:{s.Dot.Counter}=†" : $"{s.Dot.Epoch:x}:{s.Dot.Counter}={s.Value!.Length}B"))}]";
}
