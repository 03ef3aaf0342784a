using System.Buffers.Binary;
using System.IO.Hashing;
using LeaderlessActors.Partitioning;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.AntiEntropy;

/// <summary>
/// A hash tree over one partition replica's keys and their version clocks, kept up to date as keys change: a change costs
/// one leaf update plus, at the next read of the hashes above it, one rehash per level on its path, never a pass over
/// all keys. Level 0 is the root; level <see cref="Depth"/> holds <see cref="Fanout"/>^<see cref="Depth"/> leaves, and
/// node i of a level has children i*Fanout .. i*Fanout+Fanout-1. A key's leaf follows from a seeded XxHash64 of its
/// UTF-8 bytes (see <see cref="LeafSeed"/>); a leaf's hash is the wrapping sum of its entries' hashes (so the order keys arrive in does not matter, and an
/// entry can be taken out again by subtraction), and an inner node's hash is the XxHash64 of its children's hashes.
/// Two replicas with the same keys at the same clocks have the same root; <see cref="MerkleDiff"/> finds where they differ
/// level by level. Not thread-safe: one owner (the replica) changes and reads it.
/// </summary>
internal sealed class MerkleTree : IMerkleLevels
{
    // The leaf choice is seeded apart from the partitioner's hash (seed 0): a partition holds only keys whose unseeded hash
    // is its number modulo the partition count, so leaves taken from that hash would be only leaves/partitions of them
    // when the counts share factors (64 of 4096 with the defaults), each 64 times fuller, and a differing leaf ships all
    // its entries: the bytes an exchange sends would grow with the data instead of the differences.
    private const long LeafSeed = 0x4C_65_61_66; // "Leaf"

    private readonly ulong[][] _hashes;
    // Inner nodes whose hash is stale since a leaf below changed; recomputed on the next read.
    private readonly bool[][] _stale;
    private readonly Dictionary<string, ulong>?[] _leaves;
    private readonly Dictionary<string, int> _leafOfKey = [];

    /// <param name="fanout">Children per inner node, 2 or more.</param>
    /// <param name="depth">Levels below the root, 1 or more; the tree has fanout^depth leaves (at most 2^24).</param>
    public MerkleTree(int fanout, int depth)
    {
        if (fanout < 2) throw new ArgumentOutOfRangeException(nameof(fanout), fanout, "A Merkle tree needs a fanout of 2 or more.");
        if (depth < 1) throw new ArgumentOutOfRangeException(nameof(depth), depth, "A Merkle tree needs a depth of 1 or more.");
        if (Math.Pow(fanout, depth) > 1 << 24)
            throw new ArgumentOutOfRangeException(nameof(depth), depth, $"fanout^depth ({fanout}^{depth}) is over 2^24 leaves.");
        Fanout = fanout;
        Depth = depth;
        _hashes = new ulong[depth + 1][];
        _stale = new bool[depth + 1][];
        for (int level = 0, width = 1; level <= depth; level++, width *= fanout)
        {
            _hashes[level] = new ulong[width];
            _stale[level] = new bool[width];
        }
        _leaves = new Dictionary<string, ulong>[_hashes[depth].Length];
        // An empty tree is stale everywhere above the leaves, so every tree computes its empty hashes the same way.
        foreach (var level in _stale.Take(depth)) Array.Fill(level, true);
    }

    /// <inheritdoc />
    public int Fanout { get; }

    /// <inheritdoc />
    public int Depth { get; }

    /// <summary>How many keys the tree holds.</summary>
    public int Count => _leafOfKey.Count;

    /// <summary>The root hash: equal for two trees exactly when (barring a hash collision) they hold the same keys at the
    /// same clocks.</summary>
    public ulong Root => Hash(0, 0);

    /// <summary>The hash of one key at one clock (what a leaf sums).</summary>
    public static ulong EntryHash(string key, VersionVector clock)
    {
        var hash = new XxHash64();
        Span<byte> entry = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(entry, KeyPartitioner.Hash(key)); // the key, without a byte[] per call
        hash.Append(entry[..8]);
        foreach (var (replica, counter) in clock.Entries) // in replica order, so equal clocks hash equally
        {
            BinaryPrimitives.WriteInt64LittleEndian(entry, replica);
            BinaryPrimitives.WriteInt64LittleEndian(entry[8..], counter);
            hash.Append(entry);
        }
        return hash.GetCurrentHashAsUInt64();
    }

    /// <summary>Records <paramref name="key"/> at <paramref name="clock"/>, replacing what the tree held for it.</summary>
    public void Set(string key, VersionVector clock) => Set(key, EntryHash(key, clock));

    /// <summary>Records <paramref name="key"/> with a precomputed <see cref="EntryHash"/>.</summary>
    public void Set(string key, ulong entryHash)
    {
        var leaf = _leafOfKey.TryGetValue(key, out var known) ? known : LeafOf(key);
        var entries = _leaves[leaf] ??= [];
        var old = entries.TryGetValue(key, out var previous) ? previous : 0UL;
        entries[key] = entryHash;
        _leafOfKey[key] = leaf;
        ChangeLeaf(leaf, entryHash - old);
    }

    /// <summary>Takes <paramref name="key"/> out of the tree; false when it held no such key.</summary>
    public bool Remove(string key)
    {
        if (!_leafOfKey.Remove(key, out var leaf)) return false;
        var entries = _leaves[leaf]!;
        entries.Remove(key, out var old);
        if (entries.Count == 0) _leaves[leaf] = null; // an empty leaf costs nothing, as before its first key
        ChangeLeaf(leaf, 0UL - old);
        return true;
    }

    /// <summary>Gives back the room of removed keys (see <see cref="DictionaryTrimming"/>).</summary>
    public void TrimAfterRemovals() => _leafOfKey.TrimIfSparse();

    /// <inheritdoc />
    public ulong[] Hashes(int level, IReadOnlyList<int> nodes)
    {
        if (level < 0 || level > Depth) throw new ArgumentOutOfRangeException(nameof(level), level, $"Levels are 0..{Depth}.");
        return nodes.Select(node => Hash(level, node)).ToArray();
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, ulong> Entries(int leaf) => _leaves[leaf] ?? (IReadOnlyDictionary<string, ulong>)EmptyLeaf;

    private static readonly Dictionary<string, ulong> EmptyLeaf = [];

    private int LeafOf(string key) => (int)(KeyPartitioner.Hash(key, LeafSeed) % (ulong)_leaves.Length);

    private void ChangeLeaf(int leaf, ulong delta)
    {
        _hashes[Depth][leaf] += delta; // wrapping: the sum of the leaf's entry hashes
        for (int level = Depth - 1, node = leaf / Fanout; level >= 0; level--, node /= Fanout)
        {
            if (_stale[level][node]) break; // so is everything above it
            _stale[level][node] = true;
        }
    }

    private ulong Hash(int level, int node)
    {
        if (level == Depth || !_stale[level][node]) return _hashes[level][node];
        Span<byte> children = stackalloc byte[8 * Fanout];
        for (var i = 0; i < Fanout; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(children[(8 * i)..], Hash(level + 1, node * Fanout + i));
        _stale[level][node] = false;
        return _hashes[level][node] = XxHash64.HashToUInt64(children);
    }
}
