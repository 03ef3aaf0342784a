namespace LeaderlessActors.AntiEntropy;

/// <summary>
/// Where two Merkle trees of the same shape differ, found as an exchange would find it: one round per level, each asking
/// the other side only for the children of the nodes that differed a level up, then one round for the entries of the
/// differing leaves. A single differing key costs <c>Depth + 2</c> rounds and <c>Fanout</c> hashes per level, whatever
/// the number of keys.
/// </summary>
internal static class MerkleDiff
{
    /// <summary>The keys whose entries differ between <paramref name="local"/> and <paramref name="remote"/> (held by
    /// one side only, or at different clocks), with what finding them took.</summary>
    /// <exception cref="ArgumentException">The trees' shapes (fanout, depth) differ.</exception>
    public static MerkleDifference Compare(IMerkleLevels local, IMerkleLevels remote)
    {
        if (local.Fanout != remote.Fanout || local.Depth != remote.Depth)
            throw new ArgumentException(
                $"Trees of different shapes cannot be compared: fanout {local.Fanout}, depth {local.Depth} against fanout {remote.Fanout}, depth {remote.Depth}.",
                nameof(remote));
        IReadOnlyList<int> differing = [0];
        int rounds = 0, hashesCompared = 0;
        for (var level = 0; level <= local.Depth && differing.Count > 0; level++)
        {
            rounds++;
            hashesCompared += differing.Count;
            var mine = local.Hashes(level, differing);
            var theirs = remote.Hashes(level, differing);
            var changed = differing.Where((_, i) => mine[i] != theirs[i]);
            differing = level == local.Depth
                ? changed.ToArray()
                : changed.SelectMany(node => Enumerable.Range(node * local.Fanout, local.Fanout)).ToArray();
        }
        if (differing.Count == 0) return new([], rounds, hashesCompared);
        rounds++; // the entries of the differing leaves
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var leaf in differing)
        {
            var (mine, theirs) = (local.Entries(leaf), remote.Entries(leaf));
            foreach (var (key, hash) in mine)
                if (!theirs.TryGetValue(key, out var other) || other != hash) keys.Add(key);
            foreach (var key in theirs.Keys)
                if (!mine.ContainsKey(key)) keys.Add(key);
        }
        return new(keys.ToArray(), rounds, hashesCompared);
    }
}
