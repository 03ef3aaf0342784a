namespace LeaderlessActors.TestKit.Chaos;

/// <summary>
/// Checks a <see cref="History"/> against what causal contexts allow, never against wall-clock order between concurrent
/// operations. A version can only disappear through a write whose context covers it, and a context covers a value only
/// if it came from a read that returned the value (or from a write made with such a context), so:
/// <list type="bullet">
/// <item>a read that starts after a put was acknowledged returns its value, unless a write over a context covering the
/// value (acknowledged or unknown) started before the read ended (no acknowledged write lost);</item>
/// <item>a read that starts after a write was acknowledged returns none of the values its context covered (no deleted
/// key resurrected, no overwritten value back);</item>
/// <item>the value of a put that failed (not unknown) is never read; every value read was put, and not after the read;</item>
/// <item>no read returns more than the sibling bound.</item>
/// </list>
/// </summary>
public static class HistoryChecker
{
    /// <summary>Every violation in <paramref name="history"/>, each once, with the first read that shows it, in time order.</summary>
    public static IReadOnlyList<Violation> Check(History history, int maxSiblings)
    {
        var violations = history.RecordedViolations.ToList();
        foreach (var ops in history.Operations.GroupBy(o => o.Key))
            violations.AddRange(CheckKey(ops.ToArray(), maxSiblings));
        return violations.OrderBy(v => v.At).ToArray();
    }

    private static IEnumerable<Violation> CheckKey(Operation[] ops, int maxSiblings)
    {
        var puts = ops.Where(o => o.Kind == OperationKind.Put).ToDictionary(o => o.Value!);
        var reads = ops.Where(o => o.Kind == OperationKind.Read && o.Outcome == OperationOutcome.Acked).OrderBy(o => o.Start).ToArray();
        // For each value, the earliest start of a write that may have replaced it.
        var replacedFrom = new Dictionary<string, long>();
        foreach (var w in ops.Where(o => o.IsWrite && o.Outcome != OperationOutcome.Failed))
        foreach (var v in w.CoveredByOwnContext)
            replacedFrom[v] = Math.Min(replacedFrom.GetValueOrDefault(v, long.MaxValue), w.Start);

        foreach (var read in reads)
        {
            if (read.Values.Count > maxSiblings)
                yield return new Violation($"{read.Values.Count} siblings, over the bound of {maxSiblings}: {read}", read.End);
            foreach (var v in read.Values)
            {
                if (!puts.TryGetValue(v, out var put) || put.Start > read.End)
                    yield return new Violation($"read a value that was never put before it: {read}", read.End);
                else if (put.Outcome == OperationOutcome.Failed)
                    yield return new Violation($"read the value of a failed put: {read}; put {put}", read.End);
            }
        }
        foreach (var put in puts.Values.Where(p => p.Outcome == OperationOutcome.Acked))
            if (reads.FirstOrDefault(r => put.End < r.Start && !r.Values.Contains(put.Value!) &&
                                          replacedFrom.GetValueOrDefault(put.Value!, long.MaxValue) > r.End) is { } missed)
                yield return new Violation($"lost acknowledged put {put}: not returned by the later {missed}, and no write over it had started", missed.End);
        foreach (var write in ops.Where(o => o.IsWrite && o.Outcome == OperationOutcome.Acked))
            if (reads.FirstOrDefault(r => write.End < r.Start && r.Values.Any(write.CoveredByOwnContext.Contains)) is { } back)
                yield return new Violation($"{(write.Kind == OperationKind.Delete ? "resurrected" : "overwritten")} value returned by {back} after {write}", back.End);
    }
}
