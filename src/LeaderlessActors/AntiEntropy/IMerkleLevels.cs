namespace LeaderlessActors.AntiEntropy;

/// <summary>
/// What one side of a Merkle comparison shows the other, a level at a time: a <see cref="MerkleTree"/> here, and later
/// the answers of a peer replica to an exchange's requests.
/// </summary>
internal interface IMerkleLevels
{
    /// <summary>Children per inner node.</summary>
    int Fanout { get; }

    /// <summary>Levels below the root; the leaves are at this level.</summary>
    int Depth { get; }

    /// <summary>The hashes of <paramref name="nodes"/> (indices within the level) at <paramref name="level"/> (0: the
    /// root).</summary>
    ulong[] Hashes(int level, IReadOnlyList<int> nodes);

    /// <summary>Every key of leaf <paramref name="leaf"/> with its entry hash.</summary>
    IReadOnlyDictionary<string, ulong> Entries(int leaf);
}
