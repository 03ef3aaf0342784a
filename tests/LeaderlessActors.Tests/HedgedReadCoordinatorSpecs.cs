using Akka.TestKit;
using LeaderlessActors.Coordination;
using LeaderlessActors.Diagnostics;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.Tests;

/// <summary>
/// <see cref="ReadCoordinator"/> with hedging (leaderless.read-hedging): this node is n2, so a quorum read of a simple plan
/// asks n2 (its own replica) and n1 (next in preference order) first, and n3 only when it hedges.
/// </summary>
public sealed class HedgedReadCoordinatorSpecs(ITestOutputHelper output) : CoordinatorSpec(output)
{
    // Longer than any spec waits, so only the spec about the delay sees a hedge that the delay triggered.
    private static readonly TimeSpan HedgeDelay = TimeSpan.FromSeconds(10);
    // Well past Quiet, so "not before the delay" holds on a loaded machine, and well inside ExpectMsg's wait.
    private static readonly TimeSpan ShortHedgeDelay = TimeSpan.FromSeconds(1);
    // Longer than any spec waits: a coordinator that stops did so because nothing was left to wait for.
    private static readonly TimeSpan SettleWindow = TimeSpan.FromSeconds(30);
    private readonly StoreMetrics _metrics = new("hedging", null);

    private static ReadLatencyTracker Tracker(TimeSpan? fixedDelay = null) => new(new ReadHedgingSettings
    {
        Enabled = true,
        FixedDelay = fixedDelay ?? HedgeDelay,
        MinDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMinutes(1),
    });

    private (Akka.Actor.IActorRef Coordinator, TestProbe Watcher) StartRead(TestProbe[] replicas, RequestPlan plan, ReadLatencyTracker? hedging) =>
        Start(ReadCoordinator.Props(plan, CorrelationId, TestActor, SettleWindow, _metrics, Node(2), hedging));

    /// <summary>Starts a quorum read with hedging and checks that it asks n2 and n1 first.</summary>
    private TestProbe[] StartNarrowRead(TimeSpan? hedgeDelay = null)
    {
        var replicas = Replicas();
        StartRead(replicas, Plan(replicas, required: 2, LongTimeout), Tracker(hedgeDelay));
        ExpectRead(replicas[1]);
        ExpectRead(replicas[0]);
        return replicas;
    }

    private long Hedged(string trigger) => Diagnostics.MetricsObserver.Observe<long>(_metrics, "leaderless.reads.hedged",
        new KeyValuePair<string, object?>("trigger", trigger));

    private static void ExpectRead(TestProbe replica) => Assert.Equal(RequestId, replica.ExpectMsg<ReadKey>().RequestId);

    private static void Answer(TestProbe replica, int node, SiblingSet state, bool needsRepair = false) =>
        replica.Reply(new KeyRead(RequestId, Node(node), state, needsRepair));

    [Fact]
    public void A_hedging_read_asks_its_own_replica_and_the_next_owner_only_and_answers_from_them()
    {
        var replicas = Replicas();
        var (coordinator, watcher) = StartRead(replicas, Plan(replicas, required: 2, LongTimeout), Tracker());
        ExpectRead(replicas[1]);
        ExpectRead(replicas[0]);
        replicas[2].ExpectNoMsg(Quiet);

        Answer(replicas[1], 2, Old);
        Answer(replicas[0], 1, Old);

        Assert.Equal(["0A"], Hex(ExpectMsg<GetResponse>().Result.Values));
        // Nothing left to wait for: the replica never asked is not waited for through the (long) settle window.
        watcher.ExpectTerminated(coordinator, TimeSpan.FromSeconds(5));
        replicas[2].ExpectNoMsg(Quiet);
    }

    [Fact]
    public void A_hedging_read_asks_the_remaining_owner_at_once_when_an_asked_replica_fails()
    {
        var replicas = StartNarrowRead();

        replicas[0].Reply(new ReplicaFailed(RequestId, Node(1), ReplicaFailure.StorageFailed, "disk"));
        ExpectRead(replicas[2]); // long before the hedge delay
        Answer(replicas[1], 2, Old);
        Answer(replicas[2], 3, Old);

        Assert.Equal(["0A"], Hex(ExpectMsg<GetResponse>().Result.Values));
        Assert.Equal(1, Hedged("replica"));
        Assert.Equal(0, Hedged("delay"));
    }

    [Fact]
    public void A_hedging_read_asks_the_remaining_owner_at_once_when_an_asked_replica_answers_without_a_vote()
    {
        var replicas = StartNarrowRead();

        Answer(replicas[0], 1, SiblingSet.Empty, needsRepair: true);
        ExpectRead(replicas[2]);
        Answer(replicas[1], 2, Old);
        Answer(replicas[2], 3, Old);

        replicas[0].ExpectMsg<MergeKeyState>(); // the non-voter is repaired like any stale replica
        Assert.Equal(["0A"], Hex(ExpectMsg<GetResponse>().Result.Values));
    }

    [Fact]
    public void A_hedging_read_asks_the_remaining_owner_when_a_blocking_repair_fails_and_answers_once_it_holds_the_value()
    {
        var replicas = StartNarrowRead();
        Answer(replicas[1], 2, New);
        Answer(replicas[0], 1, Old);
        replicas[0].ExpectMsg<MergeKeyState>();

        replicas[0].Reply(new ReplicaFailed(RequestId, Node(1), ReplicaFailure.StorageFailed, "disk"));
        ExpectRead(replicas[2]);
        ExpectNoMsg(Quiet); // New is on one replica only
        Answer(replicas[2], 3, New);

        Assert.Equal(["0B"], Hex(ExpectMsg<GetResponse>().Result.Values));
    }

    [Fact]
    public void A_hedging_read_asks_the_remaining_owner_after_the_hedge_delay_when_an_asked_replica_is_slow()
    {
        var replicas = StartNarrowRead(ShortHedgeDelay);
        Answer(replicas[1], 2, Old);
        replicas[2].ExpectNoMsg(Quiet); // the delay has not passed yet

        Assert.Equal(RequestId, replicas[2].ExpectMsg<ReadKey>(TimeSpan.FromSeconds(15)).RequestId);
        Answer(replicas[2], 3, Old);
        Assert.Equal(["0A"], Hex(ExpectMsg<GetResponse>().Result.Values));
        Assert.Equal(1, Hedged("delay"));
        Answer(replicas[0], 1, Old); // late: still repaired if stale, but here it is not
        replicas[0].ExpectNoMsg(Quiet);
    }

    [Fact]
    public void A_read_without_hedging_asks_every_owner_at_once()
    {
        var replicas = Replicas();
        StartRead(replicas, Plan(replicas, required: 2, LongTimeout), hedging: null);
        foreach (var replica in replicas) ExpectRead(replica);
    }

    [Fact]
    public void A_hedging_read_of_a_moving_partition_asks_every_owner_at_once()
    {
        var replicas = Replicas(4);
        var plan = Plan(replicas, required: 2, LongTimeout) with
        {
            Groups = [[Node(1), Node(2), Node(4)], [Node(1), Node(2), Node(3)]],
        };
        StartRead(replicas, plan, Tracker());
        foreach (var replica in replicas) ExpectRead(replica);
    }

    [Fact]
    public void A_hedging_read_at_all_asks_every_owner_at_once()
    {
        var replicas = Replicas();
        StartRead(replicas, Plan(replicas, required: 3, LongTimeout), Tracker());
        foreach (var replica in replicas) ExpectRead(replica);
    }

    [Fact]
    public void A_hedging_read_with_a_filling_owner_asks_every_owner_at_once()
    {
        var replicas = Replicas();
        var plan = Plan(replicas, required: 2, LongTimeout) with { Filling = new HashSet<Akka.Actor.Address> { Node(3) } };
        StartRead(replicas, plan, Tracker());
        foreach (var replica in replicas) ExpectRead(replica);
    }
}
