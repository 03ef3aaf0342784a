using System.Collections.Concurrent;

namespace LeaderlessActors.TestKit.Chaos;

/// <summary>A property the history broke, with the time (Stopwatch ticks from the start of the run) it was seen.</summary>
/// <param name="Text">What went wrong, naming the operations.</param>
/// <param name="At">When the operation that shows it ended.</param>
public sealed record Violation(string Text, long At)
{
    /// <inheritdoc />
    public override string ToString() => Text;
}

/// <summary>The operations of a run, recorded concurrently by its clients, and violations seen outside the checker.</summary>
public sealed class History
{
    private readonly ConcurrentQueue<Operation> _operations = new();
    private readonly ConcurrentQueue<Violation> _violations = new();

    /// <summary>Every recorded operation.</summary>
    public IReadOnlyCollection<Operation> Operations => _operations;

    /// <summary>Violations recorded directly (for example an untyped failure from a running node).</summary>
    public IReadOnlyCollection<Violation> RecordedViolations => _violations;

    /// <summary>Records a finished operation.</summary>
    public void Add(Operation operation) => _operations.Enqueue(operation);

    /// <summary>Records a violation the checker cannot derive from the operations.</summary>
    public void AddViolation(Violation violation) => _violations.Enqueue(violation);

    /// <summary>How many operations of <paramref name="kind"/> ended with <paramref name="outcome"/>.</summary>
    public int Count(OperationKind kind, OperationOutcome outcome) => _operations.Count(o => o.Kind == kind && o.Outcome == outcome);

    /// <summary>Counts per kind and outcome, and the most frequent errors, on one line each.</summary>
    public string Summary()
    {
        var counts = from kind in Enum.GetValues<OperationKind>()
                     from outcome in Enum.GetValues<OperationOutcome>()
                     let n = Count(kind, outcome)
                     where n > 0
                     select $"{kind} {outcome} {n}";
        var errors = _operations.Where(o => o.Error is not null)
            .GroupBy(o => $"{o.Kind} {o.Outcome}: {o.Error![..Math.Min(o.Error!.Length, 60)]}")
            .OrderByDescending(g => g.Count()).Take(8).Select(g => $"\n  {g.Count()} x {g.Key}");
        return string.Join(", ", counts) + string.Concat(errors);
    }
}
