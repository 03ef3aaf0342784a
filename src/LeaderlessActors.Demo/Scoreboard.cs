using System.Diagnostics;
using Spectre.Console;

namespace LeaderlessActors.Demo;

/// <summary>What each phase of the demo did: time, operations, failures and read repairs; printed as the summary.</summary>
internal sealed class Scoreboard(StoreCounters counters)
{
    private readonly List<(string Phase, TimeSpan Time, long Operations, long Failures, long Repairs)> _rows = [];
    private readonly Tally _all = new();

    /// <summary>Runs one phase and records it; <paramref name="phase"/> reports operations and failures through the tally.</summary>
    public async Task RunAsync(string name, Func<Tally, Task> phase)
    {
        var tally = new Tally(_all);
        var repairsBefore = counters.ReadRepairs;
        var clock = Stopwatch.StartNew();
        await phase(tally);
        _rows.Add((name, clock.Elapsed, tally.Operations, tally.Failures, counters.ReadRepairs - repairsBefore));
    }

    public long TotalFailures => _rows.Sum(r => r.Failures);

    /// <summary>How many requests failed with each kind of error, over every phase.</summary>
    public string? FirstFailure => _all.FirstFailure;

    public string FailureKinds => string.Join(", ", _all.FailureKinds.OrderByDescending(k => k.Value).Select(k => $"{k.Value} {k.Key}"));

    public Table ToTable()
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Summary[/]")
            .AddColumn("Phase").AddColumn(new TableColumn("Time").RightAligned()).AddColumn(new TableColumn("Operations").RightAligned())
            .AddColumn(new TableColumn("Failures").RightAligned()).AddColumn(new TableColumn("Read repairs").RightAligned());
        foreach (var r in _rows)
            table.AddRow(Markup.Escape(r.Phase), $"{r.Time.TotalSeconds:0.0} s", $"{r.Operations:N0}",
                r.Failures == 0 ? "0" : $"[red]{r.Failures:N0}[/]", $"{r.Repairs:N0}");
        table.AddRow("[bold]Total[/]", $"[bold]{TimeSpan.FromTicks(_rows.Sum(r => r.Time.Ticks)).TotalSeconds:0.0} s[/]",
            $"[bold]{_rows.Sum(r => r.Operations):N0}[/]", $"[bold]{TotalFailures:N0}[/]", $"[bold]{_rows.Sum(r => r.Repairs):N0}[/]");
        return table;
    }
}

/// <summary>Counts a phase's operations and failures (also into <paramref name="total"/>); safe for concurrent requests.</summary>
internal sealed class Tally(Tally? total = null)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _failureKinds = new();
    private long _operations;
    private long _failures;

    public IReadOnlyDictionary<string, int> FailureKinds => _failureKinds;

    /// <summary>The message of the first failure, or null.</summary>
    public string? FirstFailure { get; private set; }

    public long Operations => Interlocked.Read(ref _operations);

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Runs one store operation, counting it and, when it throws a store error, its failure.</summary>
    public async Task<bool> TryAsync(Func<Task> operation)
    {
        Interlocked.Increment(ref _operations);
        if (total is not null) Interlocked.Increment(ref total._operations);
        try
        {
            await operation();
            return true;
        }
        catch (LeaderlessException e)
        {
            Failed(e);
            return false;
        }
    }

    private void Failed(LeaderlessException error)
    {
        Interlocked.Increment(ref _failures);
        _failureKinds.AddOrUpdate(error.GetType().Name, 1, (_, n) => n + 1);
        lock (_failureKinds) FirstFailure ??= error.Message;
        total?.Failed(error);
    }
}
