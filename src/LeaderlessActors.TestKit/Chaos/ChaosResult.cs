namespace LeaderlessActors.TestKit.Chaos;

/// <summary>What a <see cref="ChaosRun"/> did and what the checker found.</summary>
public sealed class ChaosResult
{
    internal ChaosResult(FaultSchedule schedule, IReadOnlyList<ExecutedFault> executed, IReadOnlyList<string> faultLog,
        History history, IReadOnlyList<Violation> violations, TimeSpan elapsed)
    {
        (Schedule, Executed, FaultLog, History, Violations, Elapsed) = (schedule, executed, faultLog, history, violations, elapsed);
    }

    /// <summary>The schedule that was run.</summary>
    public FaultSchedule Schedule { get; }

    /// <summary>The faults that were applied, with their start times.</summary>
    public IReadOnlyList<ExecutedFault> Executed { get; }

    /// <summary>Each fault's start and end, with times.</summary>
    public IReadOnlyList<string> FaultLog { get; }

    /// <summary>Every recorded operation.</summary>
    public History History { get; }

    /// <summary>What the checker found, in time order; empty when the run passed.</summary>
    public IReadOnlyList<Violation> Violations { get; }

    /// <summary>How long the faults, clients and final checks took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>True when the checker found nothing.</summary>
    public bool Passed => Violations.Count == 0;

    /// <summary>How many faults of <paramref name="kind"/> were applied.</summary>
    public int Count(FaultKind kind) => Executed.Count(e => e.Event.Kind == kind);

    /// <summary>
    /// The shortest prefix of the schedule that reproduced the first violation: the faults applied before the operation
    /// that shows it ended (the whole schedule when the run passed). Replay it with the same seed, which also draws the
    /// clients' operations.
    /// </summary>
    public FaultSchedule MinimalReplay => Passed
        ? Schedule
        : Schedule.Take(Executed.Count(e => e.StartedAtMs <= Operation.Ms(Violations[0].At)));

    /// <summary>The seed, the replay schedule, the counts, the fault log and up to <paramref name="maxViolations"/> violations.</summary>
    public string Report(int maxViolations = 25) =>
        $"seed {Schedule.Seed}: {Violations.Count} violation(s) in {Elapsed.TotalSeconds:0.0} s; {History.Summary()}\n" +
        $"faults:\n{string.Join("\n", FaultLog)}\n" +
        (Passed ? "" : $"violations:\n{string.Join("\n", Violations.Take(maxViolations))}\nreplay with:\n{MinimalReplay}\n");

    /// <summary>Throws when the checker found a violation, with the <see cref="Report"/> as the message.</summary>
    /// <exception cref="HistoryViolationException">At least one violation.</exception>
    public void ThrowIfViolated()
    {
        if (!Passed) throw new HistoryViolationException(Schedule.Seed, MinimalReplay, Report());
    }
}

/// <summary>A chaos run whose history broke a property; the message holds the seed and the schedule to replay it.</summary>
public sealed class HistoryViolationException(int seed, FaultSchedule replay, string report) : Exception(report)
{
    /// <summary>The seed of the failed run.</summary>
    public int Seed { get; } = seed;

    /// <summary>The shortest schedule prefix that showed the first violation.</summary>
    public FaultSchedule Replay { get; } = replay;
}
