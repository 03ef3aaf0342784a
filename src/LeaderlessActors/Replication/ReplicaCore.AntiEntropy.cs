using LeaderlessActors.AntiEntropy;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

// The core's side of anti-entropy: what an exchange may read of the partition's Merkle tree and of the keys that differ.
// The tree follows the journal-confirmed keys (see ReplicaKeys), so exchanges compare and move only durable state;
// repairs come back as peer merges (MergePeerState), the replica's one path for others' state.
internal sealed partial class ReplicaCore<TPeer, TReplyTo>
{
    /// <summary>The tree over the journal-confirmed keys and their clocks.</summary>
    public IMerkleLevels Tree => _keys.Tree;

    /// <summary>The hashes of <paramref name="nodes"/> at <paramref name="level"/>, or null when a level or node is
    /// outside the tree (an asker with another shape).</summary>
    public ulong[]? TreeHashes(int level, IReadOnlyList<int> nodes)
    {
        if (level < 0 || level > Tree.Depth) return null;
        var width = (int)Math.Pow(Tree.Fanout, level);
        return nodes.All(n => n >= 0 && n < width) ? Tree.Hashes(level, nodes) : null;
    }

    /// <summary>Every key of <paramref name="leaves"/> with its entry hash, or null when a leaf is outside the tree.</summary>
    public KeyValuePair<string, ulong>[]? LeafEntries(IReadOnlyList<int> leaves)
    {
        var width = (int)Math.Pow(Tree.Fanout, Tree.Depth);
        return leaves.All(l => l >= 0 && l < width) ? leaves.SelectMany(l => Tree.Entries(l)).ToArray() : null;
    }

    /// <summary>
    /// The durable states of a prefix of <paramref name="keys"/> that fits <paramref name="maxBytes"/> (at least one key,
    /// as a single key's state always fits a message), with how many keys it covers; a key this replica does not hold
    /// comes back empty, so the exchange learns it is missing here.
    /// </summary>
    public (KeyValuePair<string, SiblingSet>[] States, int Covered) DurableStates(IReadOnlyList<string> keys, long maxBytes)
    {
        var states = new List<KeyValuePair<string, SiblingSet>>();
        long bytes = 0;
        foreach (var key in keys)
        {
            var state = _keys.Durable(key);
            var size = KeyStateSize.Of(key, state);
            if (states.Count > 0 && bytes + size > maxBytes) break;
            bytes += size;
            states.Add(new(key, state));
        }
        return (states.ToArray(), states.Count);
    }
}
