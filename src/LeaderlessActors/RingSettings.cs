namespace LeaderlessActors;

/// <summary>
/// The validated <c>leaderless.ring</c> settings: how the agreed ring state spreads between nodes, and whether an owner
/// that stays down is ever taken out of the ring without an operator.
/// </summary>
public sealed record RingSettings
{
    /// <summary>How often a node sends its ring state to one other member at random (changes are sent to every member at
    /// once; this repairs what a lost message or a cut link missed). Default 1 s.</summary>
    public required TimeSpan GossipInterval { get; init; }

    /// <summary>How long after a storage failure stopped the keeping of the ring state a node tries again. Default 5 s.</summary>
    public required TimeSpan StorageRetryInterval { get; init; }

    /// <summary>How long an owner may stay unreachable or out of the cluster before a node removes it from the ring by
    /// itself, moving its partitions to other nodes; null (<c>off</c>, the default) never: only an operator removes a
    /// dead owner.</summary>
    public TimeSpan? AutoRemoveAfter { get; init; }

    internal static RingSettings Read(SettingsReader reader) => new()
    {
        GossipInterval = reader.Duration("gossip-interval"),
        StorageRetryInterval = reader.Duration("storage-retry-interval"),
        AutoRemoveAfter = reader.String("auto-remove-after").Equals("off", StringComparison.OrdinalIgnoreCase)
            ? null
            : reader.Duration("auto-remove-after"),
    };
}
