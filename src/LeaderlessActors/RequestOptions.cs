namespace LeaderlessActors;

/// <summary>Per-request read options; unset members fall back to <c>leaderless.read-consistency</c> and
/// <c>leaderless.request-timeout</c>.</summary>
public sealed record ReadOptions
{
    /// <summary>How many distinct replicas must answer (R).</summary>
    public Consistency? Consistency { get; init; }

    /// <summary>How long the coordinator waits for R answers.</summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary>Per-request write options; unset members fall back to <c>leaderless.write-consistency</c>,
/// <c>leaderless.request-timeout</c> and <c>leaderless.hints.sloppy-quorum</c>.</summary>
public sealed record WriteOptions
{
    /// <summary>How many distinct replicas must durably store the write (W).</summary>
    public Consistency? Consistency { get; init; }

    /// <summary>How long the coordinator waits for W acknowledgements.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// True lets fallback nodes (the next reachable nodes on the ring after the key's owners) count toward W while owners
    /// are unreachable; each keeps the write as a durable hint and hands it to the owner it stands in for once that owner
    /// is reachable. The write still needs one reachable owner, which makes its version. Until the hints are replayed a
    /// quorum read may miss the write. Unset: <c>leaderless.hints.sloppy-quorum</c> (default off: strict quorums).
    /// </summary>
    public bool? SloppyQuorum { get; init; }
}
