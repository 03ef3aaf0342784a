namespace LeaderlessActors.TestKit.Chaos;

/// <summary>
/// A list of faults to run one after the other, drawn from a seed within <see cref="FaultBounds"/> (the same seed and
/// bounds give the same schedule) or written out by hand to replay a failure.
/// </summary>
/// <param name="Seed">The seed it was drawn from; the clients' operations are drawn from it too.</param>
/// <param name="Events">The faults, in order.</param>
public sealed record FaultSchedule(int Seed, IReadOnlyList<FaultEvent> Events)
{
    /// <summary>
    /// Draws a schedule for a cluster that starts with <paramref name="initialNodes"/> nodes: first one fault of every
    /// allowed kind in a random order (kinds whose preconditions fail are skipped), then random faults until the planned
    /// time reaches <see cref="FaultBounds.Duration"/>. Leaves keep <see cref="FaultBounds.MinMembers"/> members, joins stay
    /// under <see cref="FaultBounds.MaxNodes"/>, and a node that left is never chosen again.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A bound is out of range.</exception>
    public static FaultSchedule Generate(int seed, int initialNodes, FaultBounds? bounds = null)
    {
        bounds ??= new FaultBounds();
        bounds.Validate(initialNodes);
        var rng = new Random(seed);
        var members = Enumerable.Range(0, initialNodes).ToList();
        var started = initialNodes;
        var events = new List<FaultEvent>();
        var planned = TimeSpan.Zero;
        var firstRound = bounds.Kinds.OrderBy(k => k).OrderBy(_ => rng.Next()).ToList();
        var allowed = bounds.Kinds.OrderBy(k => k).ToArray();
        for (var attempt = 0; attempt < 1000 && (firstRound.Count > 0 || planned < bounds.Duration); attempt++)
        {
            FaultKind kind;
            if (firstRound.Count > 0) (kind, firstRound) = (firstRound[0], firstRound.Skip(1).ToList());
            else kind = allowed[rng.Next(allowed.Length)];
            if (!Possible(kind)) continue;
            var gap = Between(rng, bounds.MinGap, bounds.MaxGap);
            var hold = kind is FaultKind.Leave or FaultKind.Join ? TimeSpan.Zero : Between(rng, bounds.MinHold, bounds.MaxHold);
            var node = kind == FaultKind.Join ? started : members[rng.Next(members.Count)];
            var other = kind == FaultKind.CutLink ? members.Where(m => m != node).ElementAt(rng.Next(members.Count - 1)) : -1;
            events.Add(new FaultEvent(kind, node, other, gap, hold));
            planned += gap + hold;
            if (kind == FaultKind.Leave) members.Remove(node);
            if (kind == FaultKind.Join) members.Add(started++);
        }
        return new FaultSchedule(seed, events);

        bool Possible(FaultKind kind) => kind switch
        {
            FaultKind.Leave => members.Count - 1 >= bounds.MinMembers,
            FaultKind.Join => started < bounds.MaxNodes,
            FaultKind.CutLink or FaultKind.Isolate => members.Count >= 2,
            _ => true,
        };
    }

    /// <summary>The first <paramref name="count"/> events of this schedule, with the same seed.</summary>
    public FaultSchedule Take(int count) => this with { Events = Events.Take(count).ToArray() };

    /// <summary>How many events are of <paramref name="kind"/>.</summary>
    public int Count(FaultKind kind) => Events.Count(e => e.Kind == kind);

    /// <summary>The C# that recreates this schedule, to paste into a replay spec.</summary>
    public override string ToString() =>
        $"new FaultSchedule({Seed}, [\n    {string.Join(",\n    ", Events)},\n])";

    private static TimeSpan Between(Random rng, TimeSpan min, TimeSpan max) =>
        TimeSpan.FromMilliseconds(rng.Next((int)min.TotalMilliseconds, (int)max.TotalMilliseconds + 1));
}
