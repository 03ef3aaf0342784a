using LeaderlessActors.Membership;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using LeaderlessActors.Hints;
using LeaderlessActors.Partitioning;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using LeaderlessActors.Tests.Storage;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.Tests.Hints;

/// <summary>The hint store on an in-memory journal and a virtual clock: a probe stands in for the target's replica host,
/// and time only moves when a spec advances it, so rates and timeouts are checked without waiting.</summary>
public sealed class HintStoreSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(VirtualTime.Config, output: output)
{
    private static readonly Address Self = new("akka.tcp", "s", "self", 1);
    private static readonly Address Target = new("akka.tcp", "s", "target", 1);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

    private TestScheduler Clock => (TestScheduler)Sys.Scheduler;

    private static HintSettings Settings(string hocon = "") =>
        LeaderlessSettings.Create(ConfigurationFactory.ParseString($"leaderless.hints {{ replay-per-second = 10, replay-timeout = 1s\n{hocon} }}")).Hints;

    private static Topology TopologyWith(IActorRef targetHost, bool targetReachable) =>
        new(new TopologySnapshot(Self, new HashRing([Self, Target], 8, 2, 4),
            targetReachable ? [] : [Target], ImmutableDictionary<Address, IActorRef>.Empty.Add(Target, targetHost)));

    private IActorRef StartStore(Topology topology, HintSettings? settings = null) =>
        Sys.ActorOf(HintStore.Props(settings ?? Settings(), Self, topology, "akka.persistence.journal.inmem", "akka.persistence.snapshot-store.inmem",
            TestReplicas.Metrics));

    private static Hint HintFor(string key) =>
        new(Target, 3, key, SiblingSet.Empty.Update(VersionVector.Empty, [1], 7), new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));

    private HintStatus StatusOf(IActorRef store)
    {
        store.Tell(GetHintStatus.Instance);
        return ExpectMsg<HintStatus>();
    }

    [Fact]
    public void A_hint_store_replays_no_faster_than_its_rate_and_deletes_each_hint_its_target_acknowledged()
    {
        var host = CreateTestProbe();
        var store = StartStore(TopologyWith(host.Ref, targetReachable: true));
        store.Tell(new KeepHints([HintFor("k0"), HintFor("k1"), HintFor("k2")]));
        Assert.Equal(3, StatusOf(store).Pending);

        var replayed = new List<string>();
        for (var round = 0; round < 3; round++)
        {
            Clock.Advance(Tick); // ten rounds a second at 10 hints a second: one hint per round
            var replay = host.ExpectMsg<MergeKeyState>();
            host.Reply(new KeyStored(replay.RequestId, Target));
            host.ExpectNoMsg(Quiet);
            Assert.Equal((3, HintFor(replay.Key).State, false), (replay.Partition, replay.State, replay.Write));
            replayed.Add(replay.Key);
        }

        Assert.Equal(["k0", "k1", "k2"], replayed.Order());
        var status = StatusOf(store);
        Assert.Equal((0, 3L), (status.Pending, status.Replayed));
    }

    [Fact]
    public void A_hint_store_holds_hints_while_their_target_is_unreachable_and_replays_them_once_it_is_reachable()
    {
        var host = CreateTestProbe();
        var topology = TopologyWith(host.Ref, targetReachable: false);
        var store = StartStore(topology);
        store.Tell(new KeepHints([HintFor("k")]));
        StatusOf(store);

        for (var i = 0; i < 5; i++) Clock.Advance(Tick);
        host.ExpectNoMsg(Quiet);

        topology.Publish(TopologyWith(host.Ref, targetReachable: true).Current);
        Clock.Advance(Tick);
        Assert.Equal("k", host.ExpectMsg<MergeKeyState>().Key);
    }

    [Fact]
    public void A_replay_its_target_does_not_answer_is_sent_again_after_the_replay_timeout_and_not_before()
    {
        var host = CreateTestProbe();
        var store = StartStore(TopologyWith(host.Ref, targetReachable: true));
        store.Tell(new KeepHints([HintFor("k")]));
        StatusOf(store);
        Clock.Advance(Tick);
        host.ExpectMsg<MergeKeyState>();

        for (var i = 0; i < 9; i++) Clock.Advance(Tick); // 900 ms: still waiting for the answer
        host.ExpectNoMsg(Quiet);
        Clock.Advance(Tick);
        var again = host.ExpectMsg<MergeKeyState>();
        host.Reply(new KeyStored(again.RequestId, Target));
        Assert.Equal(0, StatusOf(store).Pending);
    }

    [Fact]
    public void Hints_are_recovered_from_the_journal_by_the_next_incarnation_of_the_store()
    {
        var host = CreateTestProbe();
        var topology = TopologyWith(host.Ref, targetReachable: false);
        var first = StartStore(topology);
        first.Tell(new KeepHints([HintFor("a"), HintFor("b")]));
        Assert.Equal(2, StatusOf(first).Pending);
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);

        var second = StartStore(topology);

        Assert.Equal(2, StatusOf(second).PendingPerTarget[Target]);
    }

    [Fact]
    public void A_fallback_answers_a_sloppy_hint_once_it_is_durable_and_refuses_one_past_its_bound()
    {
        var host = CreateTestProbe();
        var store = StartStore(TopologyWith(host.Ref, targetReachable: false), Settings("max-per-target = 1"));

        store.Tell(new StoreHint(11, HintFor("kept")));
        Assert.Equal(new HintStored(11, Self), ExpectMsg<HintStored>());
        store.Tell(new StoreHint(12, HintFor("dropped")));
        var refused = ExpectMsg<ReplicaFailed>();

        Assert.Equal((12L, ReplicaFailure.HintBacklogFull), (refused.RequestId, refused.Failure));
        Assert.Contains("leaderless.hints.max-per-target", refused.Message);
        var status = StatusOf(store);
        Assert.Equal((1, 1L), (status.Pending, status.Dropped));
    }
}
