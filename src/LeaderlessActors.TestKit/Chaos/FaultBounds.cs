namespace LeaderlessActors.TestKit.Chaos;

/// <summary>The bounds a seeded <see cref="FaultSchedule"/> is drawn within. Defaults suit a short run on 5 nodes.</summary>
public sealed record FaultBounds
{
    /// <summary>The planned time of the faults, gaps and holds summed (default 8 s). Every allowed kind occurs at least
    /// once even when that takes longer.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Shortest wait before a fault (default 300 ms).</summary>
    public TimeSpan MinGap { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Longest wait before a fault (default 1 s).</summary>
    public TimeSpan MaxGap { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Shortest time a cut, isolation or crash lasts (default 1 s).</summary>
    public TimeSpan MinHold { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest time a cut, isolation or crash lasts (default 2.5 s).</summary>
    public TimeSpan MaxHold { get; init; } = TimeSpan.FromSeconds(2.5);

    /// <summary>The kinds of fault drawn (default all of them).</summary>
    public IReadOnlySet<FaultKind> Kinds { get; init; } = Enum.GetValues<FaultKind>().ToHashSet();

    /// <summary>A leave is drawn only while at least this many members would remain (default 4: one more than the
    /// default replication factor, so every partition still has three owners).</summary>
    public int MinMembers { get; init; } = 4;

    /// <summary>A join is drawn only while fewer nodes than this were ever started (default 7).</summary>
    public int MaxNodes { get; init; } = 7;

    internal void Validate(int initialNodes)
    {
        Check(Duration > TimeSpan.Zero, nameof(Duration), "must be positive");
        Check(MinGap >= TimeSpan.Zero && MaxGap >= MinGap, nameof(MaxGap), "must be at least MinGap, which must not be negative");
        Check(MinHold > TimeSpan.Zero && MaxHold >= MinHold, nameof(MaxHold), "must be at least MinHold, which must be positive");
        Check(Kinds.Count > 0, nameof(Kinds), "must allow at least one kind of fault");
        Check(MaxNodes >= initialNodes, nameof(MaxNodes), $"must be at least the {initialNodes} nodes the cluster starts with");
        Check(initialNodes >= 2 || !Kinds.Overlaps([FaultKind.CutLink, FaultKind.Isolate]), nameof(Kinds), "cuts need two nodes");
    }

    private static void Check(bool ok, string name, string rule)
    {
        if (!ok) throw new ArgumentOutOfRangeException(name, $"FaultBounds.{name} {rule}.");
    }
}
