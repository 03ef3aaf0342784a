using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using LeaderlessActors.Replication;
using LeaderlessActors.Tests.Storage;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace LeaderlessActors.Tests.Replication;

/// <summary>
/// A resync takes its time from the injected clock: how soon a waiting read may ask silent peers again, how its asks
/// back off, and how long it waits for the membership, are all driven by a fake clock here, without waiting.
/// </summary>
public class ResyncClockSpec : TestKit
{
    private static readonly Address PeerNode = new("akka.tcp", "test", "peer", 2);

    // Asks are spaced by a minute of (fake) time; no real timer fires during a test.
    private static readonly RepairSettings Repair = TestReplicas.Repair with
    {
        AskAgainAfter = TimeSpan.FromMinutes(1), RetryInterval = TimeSpan.FromMinutes(5), IdleTimeout = TimeSpan.FromMinutes(2),
        ReadHold = TimeSpan.FromMinutes(10),
    };

    private readonly FakeTimeProvider _clock = new();
    private long _requestId;

    public ResyncClockSpec() : base("akka.loglevel = OFF\nakka.test.single-expect-default = 10s")
    {
    }

    [Fact]
    public void A_waiting_read_asks_a_silent_peer_again_only_once_the_injected_clock_passed_the_ask_again_interval()
    {
        var peer = CreateTestProbe("peer");
        var options = TestReplicas.Options(40, 100, (PeerNode, peer.Ref)) with { Repair = Repair, Clock = _clock };
        var replica = Sys.ActorOf(Replica.Props(options));
        var first = peer.ExpectMsg<StreamPartition>();

        replica.Tell(new ReadKey(++_requestId, options.Partition, "k"), TestActor);
        peer.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // asked just now by the clock: not again
        _clock.Advance(TimeSpan.FromSeconds(59));
        replica.Tell(new ReadKey(++_requestId, options.Partition, "k"), TestActor);
        peer.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // still a second short

        _clock.Advance(TimeSpan.FromSeconds(1));
        replica.Tell(new ReadKey(++_requestId, options.Partition, "k"), TestActor);
        var again = peer.ExpectMsg<StreamPartition>();

        Assert.NotEqual(first.RequestId, again.RequestId);
        peer.LastSender.Tell(new PartitionChunk(again.RequestId, PeerNode, [], Last: true), peer.Ref);
        for (var i = 0; i < 3; i++) Assert.False(ExpectMsg<KeyRead>().NeedsRepair); // the held reads, with a vote
    }

    [Fact]
    public void ResyncState_lets_silent_peers_be_asked_again_after_the_interval_of_the_injected_clock()
    {
        var state = new ResyncState<string, object>(fromEveryPeer: false, Repair, _clock);
        Assert.True(state.MayAskNow); // nobody asked yet
        state.Asked(1, "peer");
        Assert.False(state.MayAskNow);
        _clock.Advance(Repair.AskAgainAfter - TimeSpan.FromTicks(1));
        Assert.False(state.MayAskNow);
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.True(state.MayAskNow);
    }

    [Fact]
    public void ResyncState_doubles_the_ask_again_interval_up_to_the_retry_interval()
    {
        var state = new ResyncState<string, object>(fromEveryPeer: false, Repair, _clock);
        state.StartAsking();
        var intervals = Enumerable.Range(0, 5).Select(_ =>
        {
            var current = state.AskAgainAfter;
            state.BackOff();
            return current.TotalMinutes;
        });
        Assert.Equal([1, 2, 4, 5, 5], intervals);
        state.StartAsking();
        Assert.Equal(Repair.AskAgainAfter, state.AskAgainAfter);
    }

    [Fact]
    public void ResyncState_waits_for_the_membership_until_the_idle_timeout_passed_on_the_injected_clock()
    {
        var state = new ResyncState<string, object>(fromEveryPeer: true, Repair, _clock);
        _clock.Advance(Repair.IdleTimeout - TimeSpan.FromTicks(1));
        Assert.True(state.MayWaitForMembership);
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.False(state.MayWaitForMembership);
    }
}
