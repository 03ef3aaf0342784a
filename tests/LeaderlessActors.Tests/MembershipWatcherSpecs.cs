using LeaderlessActors.Membership;
using System.Collections.Immutable;
using System.Reflection;
using Akka.Actor;
using Akka.Cluster;
using Akka.Util;
using LeaderlessActors.Diagnostics;
using LeaderlessActors.Partitioning;
using LeaderlessActors.Tests.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.Tests;

/// <summary>
/// The membership watcher fed with cluster events directly, in the orders Akka.Cluster publishes them. A node that lags
/// behind gossip gets one diff for several changes, and Akka lists member events before removals in a diff, so a
/// restarted node's new incarnation can be Up before the removal of its old incarnation arrives.
/// </summary>
public sealed class MembershipWatcherSpecs(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit("akka.actor.provider = cluster\nakka.remote.dot-netty.tcp.port = 0\nakka.loglevel = WARNING", output: output)
{
    private static readonly MethodInfo CreateMember = typeof(Member).GetMethod("Create", BindingFlags.NonPublic | BindingFlags.Static,
        [typeof(UniqueAddress), typeof(int), typeof(MemberStatus), typeof(ImmutableHashSet<string>), typeof(AppVersion)])!;

    private static Address Node(int i) => new("akka.tcp", "s", $"n{i}", 1);

    private readonly StoreMetrics _metrics = new("n1", null);

    /// <summary>Incarnation <paramref name="uid"/> of node <paramref name="i"/> with status <paramref name="status"/>.</summary>
    private static Member Member(int i, int uid, MemberStatus status = MemberStatus.Up) =>
        (Member)CreateMember.Invoke(null, [new UniqueAddress(Node(i), uid), uid, status, ImmutableHashSet<string>.Empty, AppVersion.Zero])!;

    private (Topology Topology, IActorRef Watcher) StartWatcher(params int[] nodes) => StartWatcher("", nodes);

    private (Topology Topology, IActorRef Watcher) StartWatcher(string ringConfig, params int[] nodes)
    {
        var topology = new Topology(new TopologySnapshot(Node(1), new HashRing([], 8, 3, 4), [], ImmutableDictionary<Address, IActorRef>.Empty));
        var settings = LeaderlessSettings.Create(Akka.Configuration.ConfigurationFactory.ParseString($"leaderless.ring {{ {ringConfig} }}")).Ring;
        var watcher = Sys.ActorOf(MembershipWatcher.Props(topology, members => new HashRing(members, 8, 3, 4), _ => TestActor, settings,
            RingStateStore.Props("akka.persistence.journal.inmem", "akka.persistence.snapshot-store.inmem"), _metrics));
        foreach (var i in nodes) watcher.Tell(new ClusterEvent.MemberUp(Member(i, uid: 1)));
        // The watcher serves only a ring it learned from a peer: an (empty) word from one, whose answers go to a probe.
        watcher.Tell(new RingGossip([], WantsReply: false), CreateTestProbe().Ref);
        return (topology, watcher);
    }

    /// <summary>Returns once the watcher has handled everything sent to it before. (A removal request goes through the
    /// watcher's own queue, behind whatever it holds until its stored ring is recovered; an Identify would not.)</summary>
    private void Handled(IActorRef watcher)
    {
        watcher.Tell(new RemoveFromRing("not a node"));
        ExpectMsg<RingRemovalAnswer>();
    }

    private static void AssertRing(Topology topology, params int[] nodes) =>
        Assert.Equal(nodes.Select(Node), topology.Current.Ring.Members.OrderBy(a => a.Host));

    [Fact]
    public void MembershipWatcher_marks_an_owner_disconnected_when_remoting_loses_it_until_remoting_connects_it_again()
    {
        // The spec's nodes do not exist, so this system's remoting loses them for real too (the ring's gossip to them
        // fails, and the address is then gated for seconds): hence awaits for the state, not assertions of emptiness.
        var (topology, watcher) = StartWatcher(1, 2, 3);
        Handled(watcher);

        // A kill -9 closes the connection at once; the failure detector flags the node only seconds later.
        Sys.EventStream.Publish(new Akka.Remote.DisassociatedEvent(Node(1), Node(3), inbound: false));
        AwaitAssert(() => Assert.Contains(Node(3), topology.Current.Disconnected), TimeSpan.FromSeconds(10));
        Assert.True(topology.Current.IsReachable(Node(3)));

        Sys.EventStream.Publish(new Akka.Remote.AssociatedEvent(Node(1), Node(3), inbound: true));
        AwaitAssert(() => Assert.DoesNotContain(Node(3), topology.Current.Disconnected), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void MembershipWatcher_drops_a_disconnection_mark_once_the_failure_detector_had_time_to_decide()
    {
        var (topology, watcher) = StartWatcher(1, 2, 3);
        Handled(watcher);

        Sys.EventStream.Publish(new Akka.Remote.DisassociatedEvent(Node(1), Node(3), inbound: false));
        AwaitAssert(() => Assert.Contains(Node(3), topology.Current.Disconnected), TimeSpan.FromSeconds(10));

        // No association follows (as when the close reported is an old incarnation's): the mark ends after the failure
        // detector's heartbeat interval plus acceptable pause (4 s with Akka's defaults), and its verdict rules.
        AwaitAssert(() => Assert.DoesNotContain(Node(3), topology.Current.Disconnected), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void MembershipWatcher_keeps_a_restarted_member_whose_old_incarnation_is_removed_after_the_new_one_is_up()
    {
        var (topology, watcher) = StartWatcher(1, 2, 3);
        Handled(watcher);
        AssertRing(topology, 1, 2, 3);

        // One gossip diff: node 3 restarted (uid 2) and its old incarnation (uid 1) was removed.
        watcher.Tell(new ClusterEvent.MemberUp(Member(3, uid: 2)));
        watcher.Tell(new ClusterEvent.MemberRemoved(Member(3, uid: 1, MemberStatus.Removed), MemberStatus.Down));
        Handled(watcher);

        AssertRing(topology, 1, 2, 3);
        Assert.True(topology.Current.IsReachable(Node(3)));
        Assert.NotNull(topology.Current.HostOf(Node(3)));

        // The removal of the incarnation that is current does take the node out.
        watcher.Tell(new ClusterEvent.MemberRemoved(Member(3, uid: 2, MemberStatus.Removed), MemberStatus.Exiting));
        Handled(watcher);
        AssertRing(topology, 1, 2);
    }

    [Fact]
    public void MembershipWatcher_sees_a_restarted_member_reachable_though_its_old_incarnation_was_unreachable()
    {
        var (topology, watcher) = StartWatcher(1, 2, 3);
        watcher.Tell(new ClusterEvent.UnreachableMember(Member(3, uid: 1)));
        Handled(watcher);
        Assert.False(topology.Current.IsReachable(Node(3)));

        watcher.Tell(new ClusterEvent.MemberUp(Member(3, uid: 2)));
        watcher.Tell(new ClusterEvent.MemberRemoved(Member(3, uid: 1, MemberStatus.Removed), MemberStatus.Down));
        Handled(watcher);

        Assert.True(topology.Current.IsReachable(Node(3)));
        AssertRing(topology, 1, 2, 3);
    }

    [Fact]
    public void MembershipWatcher_counts_each_time_a_member_is_marked_unreachable_in_its_metrics()
    {
        var (_, watcher) = StartWatcher(1, 2, 3);
        watcher.Tell(new ClusterEvent.UnreachableMember(Member(3, uid: 1)));
        watcher.Tell(new ClusterEvent.UnreachableMember(Member(3, uid: 1))); // the same mark again (initial state): not a new one
        watcher.Tell(new ClusterEvent.ReachableMember(Member(3, uid: 1)));
        watcher.Tell(new ClusterEvent.UnreachableMember(Member(3, uid: 1)));
        watcher.Tell(new ClusterEvent.UnreachableMember(Member(2, uid: 1)));
        Handled(watcher);

        Assert.Equal(3, MetricsObserver.Observe<long>(_metrics, "leaderless.members.marked_unreachable"));
    }

    [Fact]
    public void MembershipWatcher_keeps_a_downed_and_removed_member_in_the_ring_marked_down_and_unreachable()
    {
        var (topology, watcher) = StartWatcher(1, 2, 3);
        watcher.Tell(new ClusterEvent.MemberDowned(Member(3, uid: 1, MemberStatus.Down)));
        watcher.Tell(new ClusterEvent.MemberRemoved(Member(3, uid: 1, MemberStatus.Removed), MemberStatus.Down));
        Handled(watcher);

        AssertRing(topology, 1, 2, 3);
        Assert.Equal(RingMemberStatus.Down, topology.Current.RingStates[Node(3)]);
        Assert.False(topology.Current.IsReachable(Node(3)));
    }

    [Fact]
    public void MembershipWatcher_removes_an_owner_out_of_reach_past_auto_remove_after_when_that_is_set()
    {
        var (topology, watcher) = StartWatcher("auto-remove-after = 300ms, gossip-interval = 100ms", 1, 2, 3);
        watcher.Tell(new ClusterEvent.MemberRemoved(Member(3, uid: 1, MemberStatus.Removed), MemberStatus.Down));
        Handled(watcher);
        AssertRing(topology, 1, 2, 3);

        AwaitAssert(() => AssertRing(topology, 1, 2), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
        Assert.False(topology.Current.RingStates.ContainsKey(Node(3)));
    }
}
