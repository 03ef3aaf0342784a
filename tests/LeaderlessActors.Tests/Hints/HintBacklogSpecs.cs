using Akka.Actor;
using LeaderlessActors.Hints;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests.Hints;

public class HintBacklogSpecs
{
    private static readonly Address A = new("akka.tcp", "s", "a", 1);
    private static readonly Address B = new("akka.tcp", "s", "b", 1);
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(5);

    private static SiblingSet State(byte value, long replica = 1, SiblingSet? over = null) =>
        (over ?? SiblingSet.Empty).Update(over?.Clock ?? VersionVector.Empty, [value], replica);

    private static Hint HintFor(Address target, string key, SiblingSet state, DateTime? created = null) =>
        new(target, 0, key, state, created ?? T0);

    [Fact]
    public void A_full_backlog_drops_a_hint_for_a_new_key_but_still_merges_one_for_a_key_it_holds()
    {
        var backlog = new HintBacklog(maxPerTarget: 2);
        Assert.Equal(KeepOutcome.Added, backlog.Keep(HintFor(A, "k1", State(1))));
        Assert.Equal(KeepOutcome.Added, backlog.Keep(HintFor(A, "k2", State(2))));

        Assert.Equal(KeepOutcome.Dropped, backlog.Keep(HintFor(A, "k3", State(3))));
        Assert.Equal(KeepOutcome.Merged, backlog.Keep(HintFor(A, "k1", State(4, replica: 2))));
        Assert.Equal(KeepOutcome.Added, backlog.Keep(HintFor(B, "k3", State(3)))); // the bound is per target

        Assert.Equal(3, backlog.Pending);
        Assert.Equal(2, backlog.PendingPerTarget[A]);
    }

    [Fact]
    public void Hints_for_the_same_target_and_key_merge_into_one_that_carries_both_writes_and_the_older_time()
    {
        var backlog = new HintBacklog(10);
        var first = State(1, replica: 1);
        var concurrent = State(2, replica: 2);
        backlog.Keep(HintFor(A, "k", first, T0.AddSeconds(5)));
        backlog.Keep(HintFor(A, "k", concurrent, T0));

        var hint = Assert.Single(backlog.All);
        Assert.Equal(first.Merge(concurrent), hint.State);
        Assert.Equal(T0, hint.Created);
        Assert.Equal(T0, backlog.OldestCreated);
    }

    [Fact]
    public void A_delivery_removes_the_hint_only_when_the_acknowledged_state_covers_it()
    {
        var backlog = new HintBacklog(10);
        var older = State(1);
        backlog.Keep(HintFor(A, "k", older));
        Assert.Single(backlog.TakeDue(T0, 10, ResendAfter, _ => true));
        var newer = State(2, over: older);
        backlog.Keep(HintFor(A, "k", newer)); // a newer write arrives while the older state is on its way

        Assert.False(backlog.Delivered(A, 0, "k", older.Clock));
        var resent = Assert.Single(backlog.TakeDue(T0, 10, ResendAfter, _ => true)); // due again at once, with the newer write
        Assert.Equal(newer, resent.State);
        Assert.True(backlog.Delivered(A, 0, "k", newer.Clock));
        Assert.Equal(0, backlog.Pending);
        Assert.Null(backlog.OldestCreated);
    }

    [Fact]
    public void Only_hints_of_ready_targets_are_due_and_a_hint_in_flight_is_resent_only_after_the_resend_interval()
    {
        var backlog = new HintBacklog(10);
        backlog.Keep(HintFor(A, "k", State(1)));
        backlog.Keep(HintFor(B, "k", State(1)));

        var due = Assert.Single(backlog.TakeDue(T0, 10, ResendAfter, target => target == A));
        Assert.Equal(A, due.Target);
        Assert.Empty(backlog.TakeDue(T0.AddSeconds(1), 10, ResendAfter, target => target == A));
        Assert.Single(backlog.TakeDue(T0 + ResendAfter, 10, ResendAfter, target => target == A));

        backlog.Unsent(B, 0, "k"); // nothing in flight for B: harmless
        Assert.Single(backlog.TakeDue(T0, 10, ResendAfter, target => target == B));
    }

    [Fact]
    public void A_replay_round_takes_at_most_its_budget_and_lets_targets_take_turns()
    {
        var backlog = new HintBacklog(100);
        for (var i = 0; i < 10; i++) backlog.Keep(HintFor(A, $"a{i}", State(1)));
        for (var i = 0; i < 10; i++) backlog.Keep(HintFor(B, $"b{i}", State(1)));

        var due = backlog.TakeDue(T0, 4, ResendAfter, _ => true);

        Assert.Equal(4, due.Count);
        Assert.Equal(2, due.Count(h => h.Target == A));
        Assert.Equal(2, due.Count(h => h.Target == B));
        Assert.Equal(16, backlog.TakeDue(T0, 100, ResendAfter, _ => true).Count);
    }
}
