using Akka.TestKit;
using LeaderlessActors.Coordination;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using LeaderlessActors.Tests.Storage;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.Tests;

/// <summary>On virtual time: a deadline or settle window passes when a spec says so, after the answers it sent.</summary>
public sealed class ReadCoordinatorSpecs(ITestOutputHelper output) : CoordinatorSpec(output, VirtualTime.Config)
{
    private (Akka.Actor.IActorRef Coordinator, TestProbe Watcher) StartRead(TestProbe[] replicas, int required, TimeSpan timeout,
        params Akka.Actor.Address[] unreachable)
    {
        var started = Start(ReadCoordinator.Props(Plan(replicas, required, timeout, unreachable), CorrelationId, TestActor, Window, TestReplicas.Metrics));
        foreach (var replica in replicas)
        {
            var read = replica.ExpectMsg<ReadKey>();
            Assert.Equal((RequestId, Partition, Key), (read.RequestId, read.Partition, read.Key));
        }
        return started;
    }

    private static void Answer(TestProbe replica, int node, SiblingSet state) => replica.Reply(new KeyRead(RequestId, Node(node), state));

    private GetResponse ExpectResponse()
    {
        var response = ExpectMsg<GetResponse>();
        Assert.Equal(CorrelationId, response.CorrelationId);
        return response;
    }

    private QuorumNotReachedException ExpectFailure(TimeSpan within)
    {
        var failed = ExpectMsg<RequestFailed>(within);
        Assert.Equal(CorrelationId, failed.CorrelationId);
        var error = Assert.IsType<QuorumNotReachedException>(failed.Error);
        Assert.Equal(StoreOperation.Get, error.Operation);
        Assert.Equal(Key, error.Key);
        Assert.False(error.IsOutcomeUnknown);
        return error;
    }

    private static MergeKeyState ExpectRepair(TestProbe replica, SiblingSet state)
    {
        var repair = replica.ExpectMsg<MergeKeyState>();
        Assert.Equal((RequestId, Partition, Key), (repair.RequestId, repair.Partition, repair.Key));
        Assert.Equal(DvvWorld.Describe(state), DvvWorld.Describe(repair.State));
        return repair;
    }

    [Fact]
    public void ReadCoordinator_answers_with_the_value_once_R_replicas_answered()
    {
        var replicas = Replicas();
        StartRead(replicas, required: 2, LongTimeout);
        Answer(replicas[0], 1, Old);
        ExpectNoMsg(Quiet);
        Answer(replicas[1], 2, Old);

        var result = ExpectResponse().Result;
        Assert.True(result.Found);
        Assert.Equal(["0A"], Hex(result.Values));
        Assert.Equal(new CausalContext(Old.Clock), result.Context);
        foreach (var replica in replicas) replica.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void ReadCoordinator_does_not_count_a_replica_that_needs_repair_toward_R_nor_wait_for_its_repair_but_repairs_it()
    {
        var replicas = Replicas();
        StartRead(replicas, required: 2, LongTimeout);
        replicas[0].Reply(new KeyRead(RequestId, Node(1), SiblingSet.Empty, NeedsRepair: true)); // lost history: may lack Old
        Answer(replicas[1], 2, Old);
        ExpectNoMsg(Quiet); // one vote is not a quorum of two

        Answer(replicas[2], 3, Old);
        ExpectRepair(replicas[0], Old); // the non-voter is repaired like any stale replica, but the reply does not wait
        Assert.Equal(["0A"], Hex(ExpectResponse().Result.Values));
    }

    [Fact]
    public void ReadCoordinator_fails_naming_the_replicas_that_need_repair_when_they_leave_too_few_votes()
    {
        var replicas = Replicas();
        StartRead(replicas, required: 2, LongTimeout);
        replicas[0].Reply(new KeyRead(RequestId, Node(1), SiblingSet.Empty, NeedsRepair: true));
        replicas[1].Reply(new KeyRead(RequestId, Node(2), SiblingSet.Empty, NeedsRepair: true));

        var error = ExpectFailure(LongTimeout);
        Assert.Contains($"{Node(1)}, {Node(2)} need repair (they lost their history, or have not yet checked with their peers) and do not count toward R", error.Message);
    }

    [Fact]
    public void ReadCoordinator_answers_not_found_with_an_empty_context_when_no_replica_holds_the_key()
    {
        var replicas = Replicas();
        StartRead(replicas, required: 2, LongTimeout);
        Answer(replicas[2], 3, SiblingSet.Empty);
        Answer(replicas[0], 1, SiblingSet.Empty);

        var result = ExpectResponse().Result;
        Assert.False(result.Found);
        Assert.Empty(result.Values);
        Assert.True(result.Context.IsEmpty);
    }

    [Fact]
    public void ReadCoordinator_answers_not_found_for_a_deleted_key_with_the_context_of_the_tombstone()
    {
        var deleted = Old.Update(Old.Clock, null, epoch: 3);
        var replicas = Replicas();
        StartRead(replicas, required: 2, LongTimeout);
        Answer(replicas[0], 1, deleted);
        Answer(replicas[1], 2, deleted);

        var result = ExpectResponse().Result;
        Assert.False(result.Found);
        Assert.Empty(result.Values);
        Assert.Equal(new CausalContext(deleted.Clock), result.Context);
    }

    [Fact]
    public void ReadCoordinator_answers_with_every_sibling_of_concurrent_writes_after_repairing_both_replicas()
    {
        var fromOne = Written(0xA, epoch: 1);
        var fromTwo = Written(0xB, epoch: 2);
        var both = fromOne.Merge(fromTwo);
        var replicas = Replicas();
        StartRead(replicas, required: 2, LongTimeout);
        Answer(replicas[0], 1, fromOne);
        Answer(replicas[1], 2, fromTwo);
        ExpectRepair(replicas[0], both);
        ExpectRepair(replicas[1], both);
        replicas[0].Reply(new KeyStored(RequestId, Node(1)));
        replicas[1].Reply(new KeyStored(RequestId, Node(2)));

        var result = ExpectResponse().Result;
        Assert.Equal(["0A", "0B"], Hex(result.Values));
        Assert.Equal(new CausalContext(both.Clock), result.Context);
    }

    [Fact]
    public void ReadCoordinator_fails_with_quorum_details_when_two_replicas_are_silent()
    {
        var replicas = Replicas();
        var (coordinator, _) = StartRead(replicas, required: 2, ShortTimeout);
        Answer(replicas[0], 1, Old);

        PassTime(coordinator, ShortTimeout);
        var error = ExpectFailure(within: TimeSpan.FromSeconds(5));
        AssertQuorumDetails(error, required: 2, answered: [1], missing: [2, 3]);
        Assert.Contains("timed out", error.Reason);
    }

    [Fact]
    public void ReadCoordinator_fails_without_waiting_for_the_timeout_once_failures_make_R_impossible()
    {
        var replicas = Replicas();
        var (coordinator, watcher) = StartRead(replicas, required: 2, LongTimeout);
        Answer(replicas[0], 1, Old);
        replicas[1].Reply(new ReplicaFailed(RequestId, Node(2), ReplicaFailure.StorageFailed, "disk on fire"));
        ExpectNoMsg(Quiet); // one failure of three still leaves R = 2 possible
        replicas[2].Reply(new ReplicaFailed(RequestId, Node(3), ReplicaFailure.UnknownPartition, "no such partition"));

        var error = ExpectFailure(within: TimeSpan.FromSeconds(3));
        AssertQuorumDetails(error, required: 2, answered: [1], missing: [2, 3]);
        watcher.ExpectTerminated(coordinator);
    }

    [Fact]
    public void ReadCoordinator_lists_unreachable_primaries_among_the_missing_replicas()
    {
        var replicas = Replicas(2);
        StartRead(replicas, required: 2, LongTimeout, unreachable: Node(3));
        Answer(replicas[0], 1, Old);
        replicas[1].Reply(new ReplicaFailed(RequestId, Node(2), ReplicaFailure.StorageFailed, "journal down"));

        var error = ExpectFailure(within: TimeSpan.FromSeconds(3));
        AssertQuorumDetails(error, required: 2, answered: [1], missing: [2, 3]);
        Assert.Contains("unreachable", error.Reason);
        Assert.Contains(Node(3).ToString(), error.Reason);
    }

    [Fact]
    public void ReadCoordinator_counts_a_replica_once_however_often_it_answers()
    {
        var replicas = Replicas();
        var (coordinator, _) = StartRead(replicas, required: 2, ShortTimeout);
        Answer(replicas[0], 1, Old);
        Answer(replicas[0], 1, Old);
        Answer(replicas[0], 4, Old); // a node that is not a target
        replicas[1].Reply(new KeyRead(RequestId + 1, Node(2), Old)); // an answer to another request

        PassTime(coordinator, ShortTimeout);
        var error = ExpectFailure(within: TimeSpan.FromSeconds(5));
        AssertQuorumDetails(error, required: 2, answered: [1], missing: [2, 3]);
    }

    [Fact]
    public void ReadCoordinator_repairs_a_stale_replica_among_the_first_R_before_answering()
    {
        var replicas = Replicas();
        StartRead(replicas, required: 2, LongTimeout);
        Answer(replicas[0], 1, New);
        Answer(replicas[1], 2, Old);

        ExpectRepair(replicas[1], New);
        ExpectNoMsg(Quiet); // no answer while the repair is unacknowledged
        replicas[1].Reply(new KeyStored(RequestId, Node(2)));

        var result = ExpectResponse().Result;
        Assert.Equal(["0B"], Hex(result.Values));
        Assert.Equal(new CausalContext(New.Clock), result.Context);
        replicas[0].ExpectNoMsg(Quiet);
    }

    [Fact]
    public void ReadCoordinator_repairs_a_replica_that_answers_late_after_answering_and_then_stops()
    {
        var replicas = Replicas();
        var (coordinator, watcher) = StartRead(replicas, required: 2, LongTimeout);
        Answer(replicas[0], 1, New);
        Answer(replicas[1], 2, New);
        ExpectResponse();

        Answer(replicas[2], 3, Old);
        ExpectRepair(replicas[2], New);
        replicas[2].Reply(new KeyStored(RequestId, Node(3)));
        watcher.ExpectTerminated(coordinator);
        replicas[0].ExpectNoMsg(Quiet);
    }

    [Fact]
    public void ReadCoordinator_repairs_the_first_replicas_after_answering_when_a_late_reply_brings_news()
    {
        var replicas = Replicas();
        StartRead(replicas, required: 2, LongTimeout);
        Answer(replicas[0], 1, Old);
        Answer(replicas[1], 2, Old);
        Assert.Equal(["0A"], Hex(ExpectResponse().Result.Values));

        Answer(replicas[2], 3, New);
        ExpectRepair(replicas[0], New);
        ExpectRepair(replicas[1], New);
        replicas[2].ExpectNoMsg(Quiet);
        ExpectNoMsg(Quiet); // the client was answered once
    }

    [Fact]
    public void ReadCoordinator_answers_with_what_the_first_R_replicas_hold_when_news_arrives_during_blocking_repair()
    {
        // Monotonic reads: the answer may only hold what is on R replicas once the blocking repairs are acknowledged.
        // News from a later reply has reached one replica so far; it is repaired after the answer, not returned in it.
        var replicas = Replicas();
        StartRead(replicas, required: 2, LongTimeout);
        Answer(replicas[0], 1, Old);
        Answer(replicas[1], 2, SiblingSet.Empty);
        ExpectRepair(replicas[1], Old);
        Answer(replicas[2], 3, New);
        replicas[1].Reply(new KeyStored(RequestId, Node(2)));

        var result = ExpectResponse().Result;
        Assert.Equal(["0A"], Hex(result.Values));
        Assert.Equal(new CausalContext(Old.Clock), result.Context);
        ExpectRepair(replicas[0], New);
        ExpectRepair(replicas[1], New);
    }

    /// <summary>Replica 1 answers New, replica 2 Old; the blocking repair of replica 2 fails; replica 3 has not answered.</summary>
    private TestProbe[] ReadWhoseBlockingRepairOfTheSecondReplicaFailed()
    {
        var replicas = Replicas();
        StartRead(replicas, required: 2, LongTimeout);
        Answer(replicas[0], 1, New);
        Answer(replicas[1], 2, Old);
        ExpectRepair(replicas[1], New);
        replicas[1].Reply(new ReplicaFailed(RequestId, Node(2), ReplicaFailure.StorageFailed, "journal down"));
        return replicas;
    }

    [Fact]
    public void ReadCoordinator_fails_at_the_deadline_when_a_blocking_repair_is_not_acknowledged_rather_than_answer_from_one_replica()
    {
        // Monotonic reads: New is on one replica; answering with it could show a value the next quorum read misses.
        var replicas = Replicas();
        var (coordinator, watcher) = StartRead(replicas, required: 2, ShortTimeout);
        Answer(replicas[0], 1, New);
        Answer(replicas[1], 2, Old);
        ExpectRepair(replicas[1], New);

        PassTime(coordinator, ShortTimeout);
        var error = ExpectFailure(TimeSpan.FromSeconds(5));
        Assert.Contains("the answer is on 1 of 2 replicas", error.Message);
        Assert.Contains($"repairs unanswered on {Node(2)}", error.Message);
        watcher.ExpectTerminated(coordinator, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void ReadCoordinator_repairs_another_replica_when_a_blocking_repair_fails_and_answers_once_that_one_holds_the_value()
    {
        var replicas = ReadWhoseBlockingRepairOfTheSecondReplicaFailed();
        ExpectNoMsg(Quiet); // New is on one replica only

        Answer(replicas[2], 3, Old);
        ExpectRepair(replicas[2], New);
        ExpectNoMsg(Quiet);
        replicas[2].Reply(new KeyStored(RequestId, Node(3)));
        Assert.Equal(["0B"], Hex(ExpectResponse().Result.Values));
        replicas[1].ExpectNoMsg(Quiet);
    }

    [Fact]
    public void ReadCoordinator_answers_when_a_blocking_repair_fails_but_a_late_replica_already_holds_the_value()
    {
        var replicas = ReadWhoseBlockingRepairOfTheSecondReplicaFailed();

        Answer(replicas[2], 3, New);
        Assert.Equal(["0B"], Hex(ExpectResponse().Result.Values));
        replicas[2].ExpectNoMsg(Quiet);
    }

    [Fact]
    public void ReadCoordinator_fails_with_quorum_details_when_a_blocking_repair_fails_and_no_other_replica_can_take_the_value()
    {
        var replicas = ReadWhoseBlockingRepairOfTheSecondReplicaFailed();
        replicas[2].Reply(new ReplicaFailed(RequestId, Node(3), ReplicaFailure.Recovering, "busy"));

        var error = ExpectFailure(LongTimeout);
        Assert.Contains("the answer is on 1 of 2 replicas and no other can take it", error.Message);
        Assert.Contains($"blocking repairs failed on {Node(2)}", error.Message);
        Assert.Equal(2, error.Required);
    }

    [Fact]
    public void ReadCoordinator_stops_after_the_repair_window_when_a_replica_never_answers()
    {
        var replicas = Replicas();
        var (coordinator, watcher) = StartRead(replicas, required: 2, LongTimeout);
        Answer(replicas[0], 1, Old);
        Answer(replicas[1], 2, Old);
        ExpectResponse();
        PassTime(coordinator, Window);
        watcher.ExpectTerminated(coordinator, TimeSpan.FromSeconds(5));
    }
}
