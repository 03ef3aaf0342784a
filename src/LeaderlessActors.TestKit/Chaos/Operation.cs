using System.Diagnostics;

namespace LeaderlessActors.TestKit.Chaos;

/// <summary>What a recorded operation did.</summary>
public enum OperationKind
{
    /// <summary>A read of one key.</summary>
    Read,

    /// <summary>A put of a value no other put writes.</summary>
    Put,

    /// <summary>A delete.</summary>
    Delete,
}

/// <summary>How an operation ended.</summary>
public enum OperationOutcome
{
    /// <summary>A read that answered, or a write that was acknowledged.</summary>
    Acked,

    /// <summary>A write that may or may not have been stored (timed out, or its node crashed under it).</summary>
    Unknown,

    /// <summary>A read without answer, or a write that stored nothing.</summary>
    Failed,
}

/// <summary>
/// One client operation as the <see cref="HistoryChecker"/> sees it. Every put writes a value no other put writes, so a
/// value read names the put that wrote it. A write's context is the answer of an earlier read or acknowledged write
/// (<see cref="ContextFrom"/>). Times are <see cref="Stopwatch"/> ticks from the start of the run.
/// </summary>
public sealed class Operation
{
    private static readonly HashSet<string> EmptySet = [];
    private HashSet<string>? _covered;

    /// <summary>The client that made it (-1 for the checker's own final reads).</summary>
    public required int Client { get; init; }

    /// <summary>What it did.</summary>
    public required OperationKind Kind { get; init; }

    /// <summary>The key.</summary>
    public required string Key { get; init; }

    /// <summary>The node it was sent to.</summary>
    public required int Node { get; init; }

    /// <summary>The value a put wrote; null for reads and deletes.</summary>
    public string? Value { get; init; }

    /// <summary>The operation whose answer gave this write its context; null for a write without context.</summary>
    public Operation? ContextFrom { get; init; }

    /// <summary>When it was sent.</summary>
    public long Start { get; set; }

    /// <summary>When its answer (or failure) came.</summary>
    public long End { get; set; }

    /// <summary>How it ended.</summary>
    public OperationOutcome Outcome { get; set; }

    /// <summary>The values a read returned.</summary>
    public IReadOnlyList<string> Values { get; set; } = [];

    /// <summary>The read's context, or the acknowledged write's.</summary>
    public CausalContext? Context { get; set; }

    /// <summary>Why it failed or is unknown.</summary>
    public string? Error { get; set; }

    /// <summary>True for puts and deletes.</summary>
    public bool IsWrite => Kind != OperationKind.Read;

    /// <summary>
    /// The values the context of this operation's answer covers: a read's context covers what it returned (and versions
    /// overwritten before it, which no write can bring back); an acknowledged write's context covers what its own context
    /// covered, plus its own value when the store put its version into the context (the context then differs from the one
    /// the write was made with).
    /// </summary>
    public IReadOnlySet<string> Covered => _covered ??= Kind == OperationKind.Read
        ? Values.ToHashSet()
        : Kind == OperationKind.Put && Context?.ToString() != (ContextFrom?.Context ?? CausalContext.Empty).ToString()
            ? CoveredByOwnContext.Append(Value!).ToHashSet()
            : CoveredByOwnContext.ToHashSet();

    /// <summary>What the write replaces: the values covered by the context it was made with.</summary>
    public IReadOnlySet<string> CoveredByOwnContext => ContextFrom?.Covered ?? EmptySet;

    /// <summary>One line: client, node, kind, key, value, times in ms, outcome, what a read returned, what a write replaced.</summary>
    public override string ToString() =>
        $"c{Client}@n{Node} {Kind} {Key}{(Value is null ? "" : "=" + Value)} [{Ms(Start)}..{Ms(End)} ms] {Outcome}" +
        (Kind == OperationKind.Read && Outcome == OperationOutcome.Acked ? $" -> [{string.Join(", ", Values)}]" : "") +
        (CoveredByOwnContext.Count > 0 ? $" over [{string.Join(", ", CoveredByOwnContext)}]" : "") +
        (Error is null ? "" : $" ({Error})");

    /// <summary><paramref name="ticks"/> of <see cref="Stopwatch"/> in whole milliseconds.</summary>
    public static long Ms(long ticks) => ticks * 1000 / Stopwatch.Frequency;
}
