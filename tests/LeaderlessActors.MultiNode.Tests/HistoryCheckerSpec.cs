using LeaderlessActors.TestKit.Chaos;
using Xunit;

namespace LeaderlessActors.MultiNode.Tests;

/// <summary>The history checker on hand-written histories: what it must report, and what concurrency must not make it report.</summary>
public class HistoryCheckerSpec
{
    private static Operation Put(string value, long start, long end, OperationOutcome outcome = OperationOutcome.Acked, Operation? over = null) =>
        new() { Client = 0, Kind = OperationKind.Put, Key = "k", Node = 0, Value = value, Start = start, End = end, Outcome = outcome, ContextFrom = over, Context = CausalContext.Empty };

    private static Operation Delete(long start, long end, Operation over) =>
        new() { Client = 0, Kind = OperationKind.Delete, Key = "k", Node = 0, Start = start, End = end, Outcome = OperationOutcome.Acked, ContextFrom = over, Context = CausalContext.Empty };

    private static Operation Read(long start, long end, params string[] values) =>
        new() { Client = 1, Kind = OperationKind.Read, Key = "k", Node = 1, Start = start, End = end, Outcome = OperationOutcome.Acked, Values = values };

    private static IReadOnlyList<Violation> Check(params Operation[] ops)
    {
        var history = new History();
        foreach (var op in ops) history.Add(op);
        return HistoryChecker.Check(history, maxSiblings: 2);
    }

    [Fact]
    public void An_acknowledged_put_missing_from_a_later_read_is_a_lost_write()
    {
        var violation = Assert.Single(Check(Put("a", 0, 10), Read(20, 30)));
        Assert.StartsWith("lost acknowledged put", violation.Text);
    }

    [Fact]
    public void A_read_concurrent_with_the_put_or_with_a_write_over_it_may_miss_the_value()
    {
        var seen = Read(20, 30, "a");
        Assert.Empty(Check(Put("a", 0, 25), Read(20, 30)));
        Assert.Empty(Check(Put("a", 0, 10), seen, Put("b", 40, 60, over: seen), Read(50, 70, "b")));
    }

    [Fact]
    public void A_value_read_after_an_acknowledged_delete_over_it_is_a_resurrection()
    {
        var seen = Read(20, 30, "a");
        var violation = Assert.Single(Check(Put("a", 0, 10), seen, Delete(40, 50, over: seen), Read(60, 70, "a")));
        Assert.StartsWith("resurrected", violation.Text);
    }

    [Fact]
    public void The_value_of_a_failed_put_or_one_never_put_is_never_read()
    {
        Assert.Contains(Check(Put("a", 0, 10, OperationOutcome.Failed), Read(20, 30, "a")), v => v.Text.StartsWith("read the value of a failed put"));
        Assert.Contains(Check(Read(20, 30, "ghost")), v => v.Text.StartsWith("read a value that was never put"));
        Assert.Empty(Check(Put("a", 0, 10, OperationOutcome.Unknown), Read(20, 30, "a"), Read(40, 50)));
    }

    [Fact]
    public void A_read_with_more_siblings_than_the_bound_is_reported()
    {
        var violation = Assert.Single(Check(Put("a", 0, 10), Put("b", 0, 10), Put("c", 0, 10), Read(20, 30, "a", "b", "c")));
        Assert.StartsWith("3 siblings", violation.Text);
    }
}
