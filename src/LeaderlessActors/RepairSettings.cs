namespace LeaderlessActors;

/// <summary>
/// The validated <c>leaderless.repair</c> settings: how a replica that lost its history (damaged or missing storage), or
/// started without one, syncs with its peers before it votes in read quorums.
/// </summary>
public sealed record RepairSettings
{
    /// <summary>About how many bytes of keys and values a peer sends per chunk of a resync (at most half a remote frame).
    /// Default 256 KiB.</summary>
    public required int ChunkBytes { get; init; }

    /// <summary>How long a resync waits for the next chunk (and a peer for the next request) before giving up. Default 30 s.</summary>
    public required TimeSpan IdleTimeout { get; init; }

    /// <summary>How long a resync waits for a peer's first chunk before it asks that peer again (the request or the
    /// answer was lost, say while the link was cut); each further ask waits twice as long, up to the retry interval. Default
    /// 1 s.</summary>
    public required TimeSpan AskAgainAfter { get; init; }

    /// <summary>How long after a failed resync the replica tries again. Default 5 s.</summary>
    public required TimeSpan RetryInterval { get; init; }

    /// <summary>How long reads reaching a replica that started without history wait for a peer to say that no other
    /// replica stood there before they are answered without a vote; a waiting read also makes the replica ask the silent
    /// peers again (at most every <see cref="AskAgainAfter"/>). Default 1 s.</summary>
    public required TimeSpan ReadHold { get; init; }

    internal static RepairSettings Read(SettingsReader reader) => new()
    {
        ChunkBytes = (int)reader.Bytes("resync-chunk-bytes", 1024, 64 * 1024 * 1024),
        IdleTimeout = reader.Duration("resync-idle-timeout"),
        AskAgainAfter = reader.Duration("resync-ask-again-after"),
        RetryInterval = reader.Duration("resync-retry-interval"),
        ReadHold = reader.Duration("read-hold"),
    };
}
