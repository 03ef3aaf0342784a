namespace LeaderlessActors;

/// <summary>
/// The validated <c>leaderless.hints</c> settings: hinted handoff (a durable note, kept by the coordinating node, of a
/// write that an owner did not acknowledge, replayed once that owner is reachable again) and opt-in sloppy quorum.
/// </summary>
public sealed record HintSettings
{
    /// <summary>Whether nodes keep and replay hints. Default true.</summary>
    public required bool Enabled { get; init; }

    /// <summary>Most keys a node holds hints for per target node; past it a new hint is dropped and counted (anti-entropy
    /// repairs that key). Default 100000.</summary>
    public required int MaxPerTarget { get; init; }

    /// <summary>Most hints a node replays per second, over all targets. Default 1000.</summary>
    public required int ReplayPerSecond { get; init; }

    /// <summary>How long a replayed hint waits for its target's acknowledgement before it is sent again. Default 5 s.</summary>
    public required TimeSpan ReplayTimeout { get; init; }

    /// <summary>Hint events a node journals between snapshots of its hints. Default 1000.</summary>
    public required int SnapshotEvery { get; init; }

    /// <summary>Whether writes use a sloppy quorum when the request does not say (see <see cref="WriteOptions.SloppyQuorum"/>).
    /// Default false: strict quorums over the key's owners.</summary>
    public required bool SloppyQuorum { get; init; }

    internal static HintSettings Read(SettingsReader reader)
    {
        var settings = new HintSettings
        {
            Enabled = reader.Bool("enabled"),
            MaxPerTarget = reader.Int("max-per-target", 1, 100_000_000),
            ReplayPerSecond = reader.Int("replay-per-second", 1, 1_000_000),
            ReplayTimeout = reader.Duration("replay-timeout"),
            SnapshotEvery = reader.Int("snapshot-every", 1, 10_000_000),
            SloppyQuorum = reader.Bool("sloppy-quorum"),
        };
        // A fallback that stands in for an owner holds the write only as a hint: without hints it would never reach the owner.
        if (settings.SloppyQuorum && !settings.Enabled)
            throw new LeaderlessConfigurationException(reader.PathOf("sloppy-quorum"), "needs leaderless.hints.enabled = on.");
        return settings;
    }
}
