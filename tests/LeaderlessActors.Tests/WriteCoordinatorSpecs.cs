using Akka.Actor;
using Akka.TestKit;
using LeaderlessActors.Coordination;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.Tests;

public sealed class WriteCoordinatorSpecs(ITestOutputHelper output) : WriteSpec(output)
{
    [Fact]
    public void WriteCoordinator_coordinates_on_this_nodes_replica_when_this_node_is_a_target()
    {
        var replicas = Replicas();
        StartWrite(replicas, required: 2, LongTimeout, self: 2);
        Assert.Equal(Value, ExpectCoordinate(replicas[1]).Value);
        replicas[0].ExpectNoMsg(Quiet);
        replicas[2].ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void WriteCoordinator_coordinates_on_the_first_target_when_this_node_holds_no_replica()
    {
        var replicas = Replicas();
        StartWrite(replicas, required: 2, LongTimeout, self: 9);
        ExpectCoordinate(replicas[0]);
        replicas[1].ExpectNoMsg(Quiet);
        replicas[2].ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void WriteCoordinator_acknowledges_with_the_context_of_the_written_state_once_W_replicas_stored_it()
    {
        var replicas = Replicas();
        var (coordinator, watcher) = StartWrite(replicas, required: 2, LongTimeout);
        ExpectCoordinate(replicas[0]);
        Coordinated(replicas);
        ExpectNoMsg(Quiet); // one durable copy is not W = 2
        Ack(replicas[2], 3);

        var response = ExpectMsg<WriteResponse>();
        Assert.Equal(CorrelationId, response.CorrelationId);
        Assert.Equal(new CausalContext(Stored.Clock), response.Result.Context);
        Ack(replicas[1], 2);
        watcher.ExpectTerminated(coordinator);
    }

    [Fact]
    public void WriteCoordinator_with_W_of_one_acknowledges_when_the_coordinating_replica_alone_has_it()
    {
        var replicas = Replicas();
        StartWrite(replicas, required: 1, LongTimeout);
        ExpectCoordinate(replicas[0]);
        Coordinated(replicas);
        Assert.Equal(new CausalContext(Stored.Clock), ExpectMsg<WriteResponse>().Result.Context);
    }

    [Fact]
    public void WriteCoordinator_counts_a_replica_once_however_often_it_acknowledges()
    {
        var replicas = Replicas();
        var (coordinator, _) = StartWrite(replicas, required: 3, ShortTimeout);
        ExpectCoordinate(replicas[0]);
        Coordinated(replicas);
        Ack(replicas[1], 2);
        Ack(replicas[1], 2);
        Ack(replicas[1], 4); // not a target

        PassTime(coordinator, ShortTimeout);
        var error = ExpectUnknown(within: TimeSpan.FromSeconds(5));
        AssertQuorumDetails(error, required: 3, answered: [1, 2], missing: [3]);
    }

    [Fact]
    public void WriteCoordinator_deletes_by_coordinating_a_tombstone()
    {
        var replicas = Replicas();
        var (coordinator, _) = StartWrite(replicas, required: 2, ShortTimeout, operation: StoreOperation.Delete);
        Assert.Null(ExpectCoordinate(replicas[0]).Value);

        PassTime(coordinator, ShortTimeout);
        var error = ExpectUnknown(within: TimeSpan.FromSeconds(5), StoreOperation.Delete);
        AssertQuorumDetails(error, required: 2, answered: [], missing: [1, 2, 3]);
    }

    [Fact]
    public void WriteCoordinator_reports_an_unknown_outcome_when_the_coordinating_replica_is_silent()
    {
        var replicas = Replicas();
        var (coordinator, watcher) = StartWrite(replicas, required: 2, ShortTimeout);
        ExpectCoordinate(replicas[0]);

        PassTime(coordinator, ShortTimeout);
        var error = ExpectUnknown(within: TimeSpan.FromSeconds(5));
        AssertQuorumDetails(error, required: 2, answered: [], missing: [1, 2, 3]);
        Assert.Contains(Node(1).ToString(), error.Reason);
        watcher.ExpectTerminated(coordinator);
        replicas[1].ExpectNoMsg(TimeSpan.Zero); // nothing was replicated from a write that never became durable
    }

    [Fact]
    public void WriteCoordinator_reports_an_unknown_outcome_when_the_coordinating_replica_fails_to_store()
    {
        var replicas = Replicas();
        StartWrite(replicas, required: 2, LongTimeout);
        ExpectCoordinate(replicas[0]);
        Fail(replicas[0], 1);

        var error = ExpectUnknown(within: TimeSpan.FromSeconds(3));
        AssertQuorumDetails(error, required: 2, answered: [], missing: [1, 2, 3]);
        replicas[1].ExpectNoMsg(Quiet);
    }

    [Fact]
    public void WriteCoordinator_fails_with_SiblingLimitExceeded_when_the_coordinating_replica_refuses_the_write()
    {
        var replicas = Replicas();
        var (coordinator, watcher) = StartWrite(replicas, required: 2, LongTimeout);
        ExpectCoordinate(replicas[0]);
        Fail(replicas[0], 1, ReplicaFailure.SiblingLimit);

        var failed = ExpectMsg<RequestFailed>(TimeSpan.FromSeconds(3));
        var error = Assert.IsType<SiblingLimitExceededException>(failed.Error);
        Assert.Equal(Key, error.Key);
        Assert.Equal(MaxSiblings, error.Limit);
        watcher.ExpectTerminated(coordinator);
        replicas[1].ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void WriteCoordinator_fails_listing_unreachable_primaries_when_the_coordinating_replica_refuses_the_write()
    {
        var replicas = Replicas(2);
        var (coordinator, watcher) = StartWrite(replicas, required: 2, LongTimeout, unreachable: Node(3));
        ExpectCoordinate(replicas[0]);
        Fail(replicas[0], 1, ReplicaFailure.Recovering);

        var failed = ExpectMsg<RequestFailed>(TimeSpan.FromSeconds(3));
        var error = Assert.IsType<QuorumNotReachedException>(failed.Error); // refused: nothing stored, so not unknown
        AssertQuorumDetails(error, required: 2, answered: [], missing: [1, 2, 3]);
        Assert.Contains("unreachable", error.Reason);
        watcher.ExpectTerminated(coordinator);
        replicas[1].ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void WriteCoordinator_reports_an_unknown_outcome_listing_answered_and_missing_when_other_replicas_fail()
    {
        var replicas = Replicas();
        StartWrite(replicas, required: 2, LongTimeout);
        ExpectCoordinate(replicas[0]);
        Coordinated(replicas);
        Fail(replicas[1], 2);
        ExpectNoMsg(Quiet); // replica 3 can still make W = 2
        Fail(replicas[2], 3);

        var error = ExpectUnknown(within: TimeSpan.FromSeconds(3));
        AssertQuorumDetails(error, required: 2, answered: [1], missing: [2, 3]);
    }

    [Fact]
    public void WriteCoordinator_reports_an_unknown_outcome_when_W_acknowledgements_do_not_arrive_in_time()
    {
        var replicas = Replicas();
        var (coordinator, _) = StartWrite(replicas, required: 3, ShortTimeout);
        ExpectCoordinate(replicas[0]);
        Coordinated(replicas);
        Ack(replicas[2], 3);

        PassTime(coordinator, ShortTimeout);
        var error = ExpectUnknown(within: TimeSpan.FromSeconds(5));
        AssertQuorumDetails(error, required: 3, answered: [1, 3], missing: [2]);
        Assert.Contains("timed out", error.Reason);
    }

    [Fact]
    public void WriteCoordinator_lists_unreachable_primaries_among_the_missing_replicas()
    {
        var replicas = Replicas(2);
        StartWrite(replicas, required: 2, LongTimeout, unreachable: Node(3));
        ExpectCoordinate(replicas[0]);
        Coordinated(replicas);
        Fail(replicas[1], 2);

        var error = ExpectUnknown(within: TimeSpan.FromSeconds(3));
        AssertQuorumDetails(error, required: 2, answered: [1], missing: [2, 3]);
        Assert.Contains("unreachable", error.Reason);
    }

    [Fact]
    public void WriteCoordinator_stops_after_the_settle_window_when_a_replica_never_acknowledges()
    {
        var replicas = Replicas();
        var (coordinator, watcher) = StartWrite(replicas, required: 2, LongTimeout);
        ExpectCoordinate(replicas[0]);
        Coordinated(replicas);
        Ack(replicas[1], 2);
        ExpectMsg<WriteResponse>();
        PassTime(coordinator, Window);
        watcher.ExpectTerminated(coordinator, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void WriteCoordinator_fails_with_KeyStateLimitExceeded_when_the_coordinating_replica_refuses_the_state_it_would_leave()
    {
        var replicas = Replicas();
        StartWrite(replicas, required: 2, LongTimeout);
        ExpectCoordinate(replicas[0]);
        replicas[0].Reply(new ReplicaFailed(RequestId, Node(1), ReplicaFailure.KeyStateLimit, "the write would leave about 9000 bytes of state"));

        var failed = ExpectMsg<RequestFailed>();
        var error = Assert.IsType<KeyStateLimitExceededException>(failed.Error);
        Assert.Equal(Key, error.Key);
        Assert.Contains("9000 bytes", error.Detail);
        replicas[1].ExpectNoMsg(Quiet); // nothing was stored, so nothing is replicated
    }

    [Fact]
    public void WriteCoordinator_reports_an_unknown_outcome_naming_the_replicas_that_refused_the_replicated_write_at_their_sibling_bound()
    {
        var replicas = Replicas();
        StartWrite(replicas, required: 2, LongTimeout);
        ExpectCoordinate(replicas[0]);
        Coordinated(replicas);
        replicas[1].Reply(new ReplicaFailed(RequestId, Node(2), ReplicaFailure.SiblingLimit, "the write would leave 6 siblings"));
        replicas[2].Reply(new ReplicaFailed(RequestId, Node(3), ReplicaFailure.SiblingLimit, "the write would leave 6 siblings"));

        var error = ExpectUnknown(LongTimeout); // the coordinating replica stored it: it may still become visible
        Assert.Contains($"{Node(2)} refused it: the write would leave 6 siblings", error.Reason);
        Assert.Contains($"{Node(3)} refused it", error.Reason);
    }
}
