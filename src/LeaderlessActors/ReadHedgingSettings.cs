namespace LeaderlessActors;

/// <summary>
/// The validated <c>leaderless.read-hedging</c> settings: whether a quorum read first asks only R replicas and asks the
/// others (hedges) when one of them fails, cannot vote, or is slow (Cassandra's speculative retry).
/// </summary>
public sealed record ReadHedgingSettings
{
    /// <summary>Whether reads ask R replicas first and hedge to the rest. Default true (<c>speculative-retry = adaptive</c>);
    /// false (<c>off</c>) asks every reachable owner at once.</summary>
    public required bool Enabled { get; init; }

    /// <summary>The fixed delay after which a read asks the remaining replicas (<c>speculative-retry = &lt;duration&gt;</c>);
    /// null for the adaptive delay, the recent 99th percentile of replica read round trips. Default null.</summary>
    public required TimeSpan? FixedDelay { get; init; }

    /// <summary>Least adaptive delay. Default 2 ms.</summary>
    public required TimeSpan MinDelay { get; init; }

    /// <summary>Most adaptive delay. Default 200 ms.</summary>
    public required TimeSpan MaxDelay { get; init; }

    internal static ReadHedgingSettings Read(SettingsReader reader)
    {
        var mode = reader.String("speculative-retry").Trim();
        var enabled = !mode.Equals("off", StringComparison.OrdinalIgnoreCase);
        TimeSpan? fixedDelay = enabled && !mode.Equals("adaptive", StringComparison.OrdinalIgnoreCase)
            ? reader.Duration("speculative-retry", "adaptive, off or a duration such as 20ms")
            : null;
        var settings = new ReadHedgingSettings
        {
            Enabled = enabled,
            FixedDelay = fixedDelay,
            MinDelay = reader.Duration("min-delay"),
            MaxDelay = reader.Duration("max-delay"),
        };
        if (settings.MaxDelay < settings.MinDelay)
            throw new LeaderlessConfigurationException(reader.PathOf("max-delay"), "must not be less than min-delay.");
        return settings;
    }
}
