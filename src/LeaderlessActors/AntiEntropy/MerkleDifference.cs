namespace LeaderlessActors.AntiEntropy;

/// <summary>The keys two trees differ in, sorted; how many rounds of requests finding them took, and how many node
/// hashes were compared on the way.</summary>
internal sealed record MerkleDifference(IReadOnlyList<string> Keys, int Rounds, int HashesCompared);
