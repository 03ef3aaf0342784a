using LeaderlessActors.Coordination;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.Tests;

/// <summary>On virtual time: the deadline passes when a spec says so, after the answers it sent.</summary>
public sealed class InspectCoordinatorSpecs(ITestOutputHelper output) : CoordinatorSpec(output, VirtualTime.Config)
{
    [Fact]
    public void InspectCoordinator_reports_each_replicas_own_state_without_merging_or_repairing()
    {
        var old = Written(0xA, epoch: 0x11);
        var deleted = old.Update(old.Clock, null, epoch: 0x22);
        var replicas = Replicas();
        var (coordinator, watcher) = Start(InspectCoordinator.Props(Plan(replicas, 0, LongTimeout), CorrelationId, TestActor));
        foreach (var replica in replicas) Assert.Equal(Key, replica.ExpectMsg<InspectKey>().Key);
        // Answers in any order; the report follows the preference list.
        replicas[2].Reply(new KeyInspected(RequestId, Node(3), Partition, 0x33, SiblingSet.Empty));
        replicas[0].Reply(new KeyInspected(RequestId, Node(1), Partition, 0x11, old));
        replicas[1].Reply(new KeyInspected(RequestId, Node(2), Partition, 0x22, deleted));

        var response = ExpectMsg<InspectResponse>();
        Assert.Equal(CorrelationId, response.CorrelationId);
        var inspection = response.Inspection;
        Assert.Equal((Key, Partition), (inspection.Key, inspection.Partition));
        Assert.Empty(inspection.Missing);
        Assert.Equal(Names(1, 2, 3), inspection.Replicas.Select(r => r.Node));
        Assert.Equal([0, 1, 2], inspection.Replicas.Select(r => r.ReplicaIndex));
        Assert.Equal(["0000000000000011", "0000000000000022", "0000000000000033"], inspection.Replicas.Select(r => r.ReplicaEpoch));

        var (first, second, third) = (inspection.Replicas[0], inspection.Replicas[1], inspection.Replicas[2]);
        Assert.Equal("0000000000000011:1", Assert.Single(first.Versions).Dot);
        Assert.Equal(["0A"], Hex(first.Values));
        Assert.Equal(new CausalContext(old.Clock), first.Context);
        Assert.True(Assert.Single(second.Versions).IsTombstone);
        Assert.Empty(second.Values);
        Assert.Equal(new CausalContext(deleted.Clock), second.Context);
        Assert.Empty(third.Versions);
        Assert.True(third.Context.IsEmpty);

        watcher.ExpectTerminated(coordinator);
        foreach (var replica in replicas) replica.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void InspectCoordinator_lists_silent_and_unreachable_replicas_as_missing_at_the_deadline()
    {
        var replicas = Replicas(2);
        var (coordinator, _) = Start(InspectCoordinator.Props(Plan(replicas, 0, ShortTimeout, Node(3)), CorrelationId, TestActor));
        foreach (var replica in replicas) replica.ExpectMsg<InspectKey>();
        replicas[1].Reply(new KeyInspected(RequestId, Node(2), Partition, 0x22, SiblingSet.Empty));
        replicas[1].Reply(new KeyInspected(RequestId, Node(4), Partition, 0x44, SiblingSet.Empty)); // not a target

        PassTime(coordinator, ShortTimeout - TimeSpan.FromMilliseconds(1));
        ExpectNoMsg(Quiet); // n1 is silent: nothing before the deadline
        PassTime(coordinator, TimeSpan.FromMilliseconds(1));
        var inspection = ExpectMsg<InspectResponse>(TimeSpan.FromSeconds(5)).Inspection;
        var only = Assert.Single(inspection.Replicas);
        Assert.Equal((Node(2).ToString(), 1), (only.Node, only.ReplicaIndex));
        Assert.Equal(Names(1, 3), inspection.Missing);
    }

    [Fact]
    public void InspectCoordinator_answers_at_once_when_no_replica_is_reachable()
    {
        Start(InspectCoordinator.Props(Plan([], 0, LongTimeout, Node(1), Node(2)), CorrelationId, TestActor));
        var inspection = ExpectMsg<InspectResponse>(TimeSpan.FromSeconds(3)).Inspection;
        Assert.Empty(inspection.Replicas);
        Assert.Equal(Names(1, 2), inspection.Missing);
    }
}
