namespace LeaderlessActors;

/// <summary>
/// The validated <c>leaderless.handoff</c> settings: how a partition's data follows it to new owners when the ring
/// changes (see the README's consistency section).
/// </summary>
public sealed record HandoffSettings
{
    /// <summary>How often a node compares its ring with the one it saw last, to start the fills of the partitions it became a
    /// new owner of. Default 200 ms.</summary>
    public required TimeSpan RingCheckInterval { get; init; }

    /// <summary>While partitions move, how often a node asks its peers for the moves and confirmations they know (one
    /// that missed a confirmation learns it this way). Default 2 s.</summary>
    public required TimeSpan HistorySyncInterval { get; init; }

    /// <summary>How long a node that joined or restarted waits for a peer to share the moves it knows before it
    /// coordinates requests without them. Default 5 s.</summary>
    public required TimeSpan HistoryWait { get; init; }

    /// <summary>Most fills a node runs at once (each streams one partition from every earlier owner); the others wait
    /// for a free slot, without a vote. Default 4.</summary>
    public required int MaxConcurrentFills { get; init; }

    /// <summary>Whether a node that is no longer an owner of a partition drops its copy once every new owner confirmed
    /// being filled (seen by this node), and a stray copy (of a partition it does not own and knows no move of) once
    /// every owner stored its keys. Off keeps every copy. Default on.</summary>
    public bool ReleaseMovedCopies { get; init; } = true;

    internal static HandoffSettings Read(SettingsReader reader) => new()
    {
        ReleaseMovedCopies = reader.Bool("release-moved-copies"),
        RingCheckInterval = reader.Duration("ring-check-interval"),
        HistorySyncInterval = reader.Duration("history-sync-interval"),
        HistoryWait = reader.Duration("history-wait"),
        MaxConcurrentFills = reader.Int("max-concurrent-fills", 1, 65536),
    };
}
