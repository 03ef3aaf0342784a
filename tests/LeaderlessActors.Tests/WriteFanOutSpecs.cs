using LeaderlessActors.Coordination;
using LeaderlessActors.Replication;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.Tests;

/// <summary>
/// A coordinating replica on the coordinator's node tells the write it issued before its journal has it
/// (<see cref="WriteIssued"/>): the coordinator stores it on the others at once, and counts the coordinating replica only
/// once that is durable (<see cref="KeyStored"/>). Its journal failing afterwards makes it one failed replica: the client
/// is acknowledged only by W durable copies, and otherwise told the outcome is unknown, never that it failed.
/// </summary>
public sealed class WriteFanOutSpecs(ITestOutputHelper output) : WriteSpec(output)
{
    [Fact]
    public void The_write_is_stored_on_the_others_as_soon_as_it_is_issued_and_acknowledged_once_W_including_the_coordinating_replica_have_it_durably()
    {
        var replicas = Replicas();
        var (coordinator, watcher) = StartWrite(replicas, required: 2, LongTimeout);
        ExpectCoordinate(replicas[0]);
        Issued(replicas); // (asserts that n2 and n3 get the state to store)
        Ack(replicas[1], 2);
        ExpectNoMsg(Quiet); // n1 has not made it durable yet: one durable copy is not W = 2

        Ack(replicas[0], 1);
        var response = ExpectMsg<WriteResponse>();
        Assert.Equal(new CausalContext(Stored.Clock), response.Result.Context);
        Assert.Equal(Names(1, 2), response.Result.StoredOn);
        Ack(replicas[2], 3);
        watcher.ExpectTerminated(coordinator);
    }

    [Fact]
    public void Durable_copies_on_the_others_make_W_before_the_coordinating_replica_confirms_its_own()
    {
        var replicas = Replicas();
        StartWrite(replicas, required: 2, LongTimeout);
        ExpectCoordinate(replicas[0]);
        Issued(replicas);
        Ack(replicas[2], 3);
        Ack(replicas[1], 2);

        Assert.Equal(Names(2, 3), ExpectMsg<WriteResponse>().Result.StoredOn);
    }

    [Fact]
    public void An_early_write_is_not_acknowledged_while_the_coordinating_replicas_confirmation_is_missing_from_W()
    {
        var replicas = Replicas();
        StartWrite(replicas, required: 3, LongTimeout);
        ExpectCoordinate(replicas[0]);
        Issued(replicas);
        Ack(replicas[1], 2);
        Ack(replicas[2], 3);
        ExpectNoMsg(Quiet); // W = 3 needs n1's own durable copy

        Ack(replicas[0], 1);
        Assert.Equal(Names(1, 2, 3), ExpectMsg<WriteResponse>().Result.StoredOn);
    }

    [Fact]
    public void A_coordinating_replica_whose_journal_fails_after_telling_the_write_is_one_failed_replica_and_the_others_make_W()
    {
        var replicas = Replicas();
        StartWrite(replicas, required: 2, LongTimeout);
        ExpectCoordinate(replicas[0]);
        Issued(replicas);
        Fail(replicas[0], 1);
        ExpectNoMsg(Quiet); // n2 and n3 can still make W = 2
        Ack(replicas[1], 2);
        Ack(replicas[2], 3);

        var response = ExpectMsg<WriteResponse>();
        Assert.Equal(Names(2, 3), response.Result.StoredOn); // truthful: two replicas hold it durably
        Assert.Equal(new CausalContext(Stored.Clock), response.Result.Context);
    }

    [Fact]
    public void A_coordinating_replica_whose_journal_fails_after_telling_the_write_leaves_an_unknown_outcome_when_W_is_missed()
    {
        var replicas = Replicas();
        StartWrite(replicas, required: 2, LongTimeout);
        ExpectCoordinate(replicas[0]);
        Issued(replicas);
        Fail(replicas[0], 1);
        Ack(replicas[1], 2);
        Fail(replicas[2], 3);

        var error = ExpectUnknown(within: TimeSpan.FromSeconds(3)); // n2 holds it: it may become visible
        AssertQuorumDetails(error, required: 2, answered: [2], missing: [1, 3]);
        Assert.Contains("the coordinating replica failed: journal down", error.Reason);
    }

    [Fact]
    public void A_coordinating_replica_that_told_the_write_and_never_confirmed_it_leaves_an_unknown_outcome_at_the_deadline()
    {
        var replicas = Replicas();
        var (coordinator, _) = StartWrite(replicas, required: 3, ShortTimeout);
        ExpectCoordinate(replicas[0]);
        Issued(replicas);
        Ack(replicas[1], 2);
        Ack(replicas[2], 3);

        PassTime(coordinator, ShortTimeout);
        var error = ExpectUnknown(within: TimeSpan.FromSeconds(5));
        AssertQuorumDetails(error, required: 3, answered: [2, 3], missing: [1]);
        Assert.Contains("timed out", error.Reason);
    }
}
