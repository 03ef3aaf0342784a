namespace LeaderlessActors.AntiEntropy;

/// <summary>The shape every replica's tree of a partition has (leaderless.anti-entropy.tree-fanout and tree-depth):
/// trees compare only when their shapes match, so all nodes of a cluster must use the same.</summary>
internal sealed record MerkleShape(int Fanout, int Depth)
{
    /// <summary>The reference.conf shape, for the pure core's tests: 16 children a node, 3 levels, 4096 leaves.</summary>
    public static readonly MerkleShape Default = new(16, 3);

    public MerkleTree NewTree() => new(Fanout, Depth);
}
