namespace LeaderlessActors.Diagnostics;

/// <summary>What one anti-entropy round over every partition cost (see <see cref="AntiEntropyCost"/>).</summary>
/// <param name="Keys">The keys both replicas held.</param>
/// <param name="Differing">The keys that had a newer version on one replica only before the round.</param>
/// <param name="KeysRepaired">The keys the round repaired.</param>
/// <param name="Bytes">What the exchanges counted: tree hashes, leaf entries and key states read and sent (the
/// <c>leaderless.anti_entropy.bytes</c> measure).</param>
/// <param name="Duration">The round's wall-clock time, unthrottled and without a network between the nodes.</param>
public sealed record AntiEntropyRoundCost(int Keys, int Differing, long KeysRepaired, long Bytes, TimeSpan Duration);
