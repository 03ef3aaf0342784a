namespace LeaderlessActors.Versioning;

/// <summary>
/// An immutable version vector: for each epoch (the id a replica issues its dots under, see <see cref="Dot"/>) the highest
/// contiguous event counter seen. Entries are kept sorted by epoch in one array, which keeps vectors small (a key has a handful of entries), cheap to compare and easy to
/// serialize.
/// </summary>
internal sealed class VersionVector : IEquatable<VersionVector>
{
    public static readonly VersionVector Empty = new([]);

    private readonly Entry[] _entries;

    private VersionVector(Entry[] sortedEntries) => _entries = sortedEntries;

    /// <summary>One (epoch, counter) pair.</summary>
    public readonly record struct Entry(long Epoch, long Counter);

    public IReadOnlyList<Entry> Entries => _entries;

    public int Count => _entries.Length;

    /// <summary>Builds a vector from arbitrary entries; duplicates keep the highest counter, zero counters are dropped.</summary>
    public static VersionVector From(IEnumerable<Entry> entries)
    {
        var map = new SortedDictionary<long, long>();
        foreach (var e in entries)
        {
            if (e.Counter < 0) throw new ArgumentException("A version vector counter cannot be negative.", nameof(entries));
            if (e.Counter == 0) continue;
            map[e.Epoch] = map.TryGetValue(e.Epoch, out var c) ? Math.Max(c, e.Counter) : e.Counter;
        }
        return map.Count == 0 ? Empty : new VersionVector(map.Select(kv => new Entry(kv.Key, kv.Value)).ToArray());
    }

    public long Get(long epoch)
    {
        var i = IndexOf(epoch);
        return i >= 0 ? _entries[i].Counter : 0;
    }

    /// <summary>True when this vector has seen <paramref name="dot"/>.</summary>
    public bool Covers(Dot dot) => Get(dot.Epoch) >= dot.Counter;

    /// <summary>True when every event in <paramref name="other"/> is also in this vector (this ≥ other).</summary>
    public bool Descends(VersionVector other)
    {
        if (ReferenceEquals(this, other) || other._entries.Length == 0) return true;
        int i = 0;
        foreach (var o in other._entries)
        {
            while (i < _entries.Length && _entries[i].Epoch < o.Epoch) i++;
            if (i == _entries.Length || _entries[i].Epoch != o.Epoch || _entries[i].Counter < o.Counter) return false;
        }
        return true;
    }

    /// <summary>Pointwise maximum.</summary>
    public VersionVector Merge(VersionVector other)
    {
        if (Descends(other)) return this;
        if (other.Descends(this)) return other;
        var merged = new List<Entry>(_entries.Length + other._entries.Length);
        int i = 0, j = 0;
        while (i < _entries.Length || j < other._entries.Length)
        {
            if (j == other._entries.Length || (i < _entries.Length && _entries[i].Epoch < other._entries[j].Epoch))
                merged.Add(_entries[i++]);
            else if (i == _entries.Length || other._entries[j].Epoch < _entries[i].Epoch)
                merged.Add(other._entries[j++]);
            else
            {
                merged.Add(new Entry(_entries[i].Epoch, Math.Max(_entries[i].Counter, other._entries[j].Counter)));
                i++;
                j++;
            }
        }
        return new VersionVector(merged.ToArray());
    }

    /// <summary>This vector with <paramref name="dot"/> recorded (counter raised to at least the dot's).</summary>
    public VersionVector With(Dot dot) => Covers(dot) ? this : Merge(new VersionVector([new Entry(dot.Epoch, dot.Counter)]));

    private int IndexOf(long epoch)
    {
        int lo = 0, hi = _entries.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var r = _entries[mid].Epoch;
            if (r == epoch) return mid;
            if (r < epoch) lo = mid + 1; else hi = mid - 1;
        }
        return -1;
    }

    public bool Equals(VersionVector? other) =>
        other is not null && (ReferenceEquals(this, other) || _entries.AsSpan().SequenceEqual(other._entries));

    public override bool Equals(object? obj) => Equals(obj as VersionVector);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var e in _entries) h.Add(e);
        return h.ToHashCode();
    }

    public override string ToString() => "{" + string.Join(", ", _entries.Select(e => $"{e.Epoch:x}:{e.Counter}")) + "}";
}
