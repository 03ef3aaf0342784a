using System.Collections.Concurrent;
using System.Diagnostics;

namespace LeaderlessActors.MultiNode.Tests;

internal enum OpKind { Read, Put, Delete }

/// <summary>How an operation ended: acknowledged (a read that answered), unknown (a write that may have been stored), or
/// failed (a read without answer, or a write that stored nothing).</summary>
internal enum Outcome { Acked, Unknown, Failed }

/// <summary>
/// One client operation as the checker sees it. Every put writes a value no other put writes, so a value read names the
/// put that wrote it. A write's context is the answer of an earlier read or acknowledged write (<see cref="ContextFrom"/>).
/// </summary>
internal sealed class Op
{
    public required int Client { get; init; }
    public required OpKind Kind { get; init; }
    public required string Key { get; init; }
    public required int Node { get; init; }
    public string? Value { get; init; }
    public Op? ContextFrom { get; init; }
    public long Start { get; set; }
    public long End { get; set; }
    public Outcome Outcome { get; set; }
    public IReadOnlyList<string> Values { get; set; } = [];
    /// <summary>The read's context, or the acknowledged write's.</summary>
    public CausalContext? Context { get; set; }
    public string? Error { get; set; }

    /// <summary>
    /// The values the context of this operation's answer covers: a read's context covers what it returned (and versions
    /// overwritten before it, which no write can bring back); an acknowledged write's context covers what its own context
    /// covered, plus its own value when the store put its version into the context (the context then differs from the one
    /// the write was made with).
    /// </summary>
    public IReadOnlySet<string> Covered => _covered ??= Kind == OpKind.Read
        ? Values.ToHashSet()
        : Kind == OpKind.Put && Context!.ToString() != (ContextFrom?.Context ?? CausalContext.Empty).ToString()
            ? CoveredByOwnContext.Append(Value!).ToHashSet()
            : CoveredByOwnContext.ToHashSet();

    /// <summary>What the write replaces: the values covered by the context it was made with.</summary>
    public IReadOnlySet<string> CoveredByOwnContext => ContextFrom?.Covered ?? EmptySet;

    public bool IsWrite => Kind != OpKind.Read;

    public override string ToString() =>
        $"c{Client}@n{Node} {Kind} {Key}{(Value is null ? "" : "=" + Value)} [{Ms(Start)}..{Ms(End)} ms] {Outcome}" +
        (Kind == OpKind.Read && Outcome == Outcome.Acked ? $" -> [{string.Join(", ", Values)}]" : "") +
        (CoveredByOwnContext.Count > 0 ? $" over [{string.Join(", ", CoveredByOwnContext)}]" : "") +
        (Error is null ? "" : $" ({Error})");

    public static string Ms(long ticks) => (ticks * 1000 / Stopwatch.Frequency).ToString();

    private static readonly HashSet<string> EmptySet = [];
    private HashSet<string>? _covered;
}

/// <summary>
/// The operations of a chaos run and the properties they must satisfy, derived from causal contexts, never from
/// wall-clock order between concurrent operations. A version can only disappear through a write whose context covers
/// it, and a context covers a value only if it came from a read that returned the value (or from a write made with such
/// a context), so:
/// <list type="bullet">
/// <item>a read that starts after a put was acknowledged returns its value, unless a write over a context covering the
/// value (acknowledged or unknown) started before the read ended (quorum intersection, no lost writes);</item>
/// <item>a read that starts after a write was acknowledged returns none of the values its context covered (no
/// resurrection after a delete, no overwritten value coming back);</item>
/// <item>the value of a put that failed (not unknown) is never read; every value read was put, and not after the read.</item>
/// </list>
/// </summary>
internal sealed class ChaosHistory
{
    private readonly ConcurrentQueue<Op> _ops = new();
    private readonly ConcurrentQueue<string> _violations = new();

    public IReadOnlyCollection<Op> Ops => _ops;

    public void Add(Op op) => _ops.Enqueue(op);

    public void Violation(string text) => _violations.Enqueue(text);

    public int Count(OpKind kind, Outcome outcome) => _ops.Count(o => o.Kind == kind && o.Outcome == outcome);

    public List<string> Check()
    {
        var violations = _violations.ToList();
        foreach (var ops in _ops.GroupBy(o => o.Key))
        {
            var puts = ops.Where(o => o.Kind == OpKind.Put).ToDictionary(o => o.Value!);
            var reads = ops.Where(o => o.Kind == OpKind.Read && o.Outcome == Outcome.Acked).ToArray();
            var acked = ops.Where(o => o.IsWrite && o.Outcome == Outcome.Acked).ToArray();
            // For each value, the earliest start of a write that may have replaced it.
            var replacedFrom = new Dictionary<string, long>();
            foreach (var w in ops.Where(o => o.IsWrite && o.Outcome != Outcome.Failed))
            foreach (var v in w.CoveredByOwnContext)
                replacedFrom[v] = Math.Min(replacedFrom.GetValueOrDefault(v, long.MaxValue), w.Start);

            foreach (var read in reads)
            foreach (var v in read.Values)
            {
                if (!puts.TryGetValue(v, out var put) || put.Start > read.End)
                    violations.Add($"read a value that was never put before it: {read}");
                else if (put.Outcome == Outcome.Failed)
                    violations.Add($"read the value of a failed put: {read}; put {put}");
            }
            // Each violation once, with the first read that shows it.
            foreach (var put in puts.Values.Where(p => p.Outcome == Outcome.Acked))
                if (reads.FirstOrDefault(r => put.End < r.Start && !r.Values.Contains(put.Value!) &&
                                              replacedFrom.GetValueOrDefault(put.Value!, long.MaxValue) > r.End) is { } missed)
                    violations.Add($"lost acknowledged put {put}: not returned by the later {missed}, and no write over it had started");
            foreach (var write in acked)
                if (reads.FirstOrDefault(r => write.End < r.Start && r.Values.Any(write.CoveredByOwnContext.Contains)) is { } back)
                    violations.Add($"{(write.Kind == OpKind.Delete ? "resurrected" : "overwritten")} value returned by {back} after {write}");
        }
        return violations;
    }
}
