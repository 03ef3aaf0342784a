using Akka.Actor;
using Akka.TestKit;
using LeaderlessActors.Coordination;
using LeaderlessActors.Hints;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.Tests.Hints;

public sealed class WriteCoordinatorHintSpecs(ITestOutputHelper output) : CoordinatorSpec(output)
{
    private static readonly SiblingSet Stored = Written(0xEE, epoch: 1);

    // The store's clock, stopped at a time no wall clock shows: a hint stamped with it was stamped by the injected clock.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero));

    private (IActorRef Coordinator, TestProbe Watcher) StartWrite(RequestPlan plan, TestProbe hints) =>
        Start(WriteCoordinator.Props(plan, StoreOperation.Put, [0xEE], VersionVector.Empty, maxSiblings: 5, Node(1), CorrelationId,
            TestActor, Window, hints.Ref, _clock));

    /// <summary>n1 (probe 0) coordinates the write; the other probes get it to store.</summary>
    private static void Coordinated(TestProbe[] replicas)
    {
        replicas[0].ExpectMsg<CoordinateWrite>();
        replicas[0].Reply(new WriteCoordinated(RequestId, Node(1), Stored, new Dot(1, 1)));
        foreach (var other in replicas.Skip(1)) other.ExpectMsg<MergeKeyState>();
    }

    [Fact]
    public void A_write_coordinator_leaves_a_hint_for_an_owner_unreachable_at_planning_and_for_one_that_stayed_silent()
    {
        var replicas = Replicas(2);
        var hints = CreateTestProbe();
        var (coordinator, watcher) = StartWrite(Plan(replicas, required: 1, LongTimeout, Node(3)), hints);
        Coordinated(replicas);
        ExpectMsg<WriteResponse>(); // W = 1: answered at once; n2 never answers

        watcher.ExpectTerminated(coordinator, TimeSpan.FromSeconds(10)); // after the settle window
        var kept = hints.ExpectMsg<KeepHints>();
        Assert.Equal([Node(2), Node(3)], kept.Hints.Select(h => h.Target).Order(AddressOrder));
        Assert.All(kept.Hints, h => Assert.Equal((Partition, Key, Stored), (h.Partition, h.Key, h.State)));
        Assert.All(kept.Hints, h => Assert.Equal(_clock.GetUtcNow().UtcDateTime, h.Created));
    }

    [Fact]
    public void A_coordinating_replica_whose_journal_failed_after_it_told_the_write_gets_a_hint_of_it()
    {
        var replicas = Replicas(3);
        var hints = CreateTestProbe();
        var (coordinator, watcher) = StartWrite(Plan(replicas, required: 2, LongTimeout), hints);
        replicas[0].ExpectMsg<CoordinateWrite>();
        replicas[0].Reply(new WriteIssued(RequestId, Node(1), Stored, new Dot(1, 1)));
        foreach (var other in replicas.Skip(1)) other.ExpectMsg<MergeKeyState>();
        replicas[0].Reply(new ReplicaFailed(RequestId, Node(1), ReplicaFailure.StorageFailed, "journal down"));
        replicas[1].Reply(new KeyStored(RequestId, Node(2)));
        replicas[2].Reply(new KeyStored(RequestId, Node(3)));
        ExpectMsg<WriteResponse>();

        watcher.ExpectTerminated(coordinator);
        var kept = hints.ExpectMsg<KeepHints>();
        Assert.Equal((Node(1), Stored), (Assert.Single(kept.Hints).Target, kept.Hints[0].State));
    }

    [Fact]
    public void A_write_coordinator_leaves_no_hint_when_every_owner_acknowledged()
    {
        var replicas = Replicas(3);
        var hints = CreateTestProbe();
        StartWrite(Plan(replicas, required: 2, LongTimeout), hints);
        Coordinated(replicas);
        replicas[1].Reply(new KeyStored(RequestId, Node(2)));
        replicas[2].Reply(new KeyStored(RequestId, Node(3)));
        ExpectMsg<WriteResponse>();

        hints.ExpectNoMsg(Window + Quiet);
    }

    [Fact]
    public void A_sloppy_write_counts_a_fallbacks_durable_hint_toward_W_and_the_coordinator_hints_only_the_owner_nobody_covers()
    {
        var replicas = Replicas(1);
        var hints = CreateTestProbe();
        var fallback = CreateTestProbe();
        var plan = Plan(replicas, required: 2, LongTimeout, Node(2), Node(3)) with
        {
            Fallbacks = [new Fallback(Node(4), fallback.Ref, StandsFor: Node(2))],
        };
        Assert.True(plan.IsFeasible);
        StartWrite(plan, hints);
        Coordinated(replicas);

        var stored = fallback.ExpectMsg<StoreHint>();
        Assert.Equal((RequestId, Node(2), Key, Stored), (stored.RequestId, stored.Hint.Target, stored.Hint.Key, stored.Hint.State));
        ExpectNoMsg(Quiet); // one owner alone is not W = 2
        fallback.Reply(new HintStored(RequestId, Node(4)));

        var response = ExpectMsg<WriteResponse>();
        Assert.Equal(Names(1, 4), response.Result.StoredOn);
        var kept = hints.ExpectMsg<KeepHints>(TimeSpan.FromSeconds(10));
        Assert.Equal(Node(3), Assert.Single(kept.Hints).Target);
    }

    [Fact]
    public void A_sloppy_plan_without_a_reachable_owner_is_infeasible_whatever_its_fallbacks()
    {
        var plan = Plan([], required: 1, LongTimeout, Node(1), Node(2), Node(3)) with
        {
            Fallbacks = [new Fallback(Node(4), ActorRefs.Nobody, Node(1)), new Fallback(Node(5), ActorRefs.Nobody, Node(2))],
        };

        Assert.False(plan.IsFeasible);
    }

    private static readonly Comparer<Address> AddressOrder = Comparer<Address>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()));
}
