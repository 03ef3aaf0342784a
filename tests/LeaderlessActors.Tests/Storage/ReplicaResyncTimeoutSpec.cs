using Akka.Actor;
using Akka.TestKit;
using LeaderlessActors.Replication;
using Xunit;

namespace LeaderlessActors.Tests.Storage;

/// <summary>
/// A resync that gives up when its peer stays silent, on virtual time: the idle timeout passes only when a spec lets it,
/// so a peer's answer to the next request can never come too late for it, however loaded the machine. (On a real clock,
/// with a 300 ms idle timeout, an answer the test sent a little late was dropped by a sync that had given up again.)
/// </summary>
public sealed class ReplicaResyncTimeoutSpec() : ReplicaRepairSpecBase(VirtualTime.Config)
{
    private TestScheduler Clock => (TestScheduler)Sys.Scheduler;

    [Fact]
    public void A_resync_that_hears_nothing_gives_up_and_is_tried_again()
    {
        var options = OptionsWith(12, r => r with { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        WriteThenDamage(options, "k");

        var replica = Start(options, expectResync: false);
        var first = _peer.ExpectMsg<StreamPartition>();
        LetGiveUp(_peer.LastSender, replica, options);
        Clock.Advance(options.Repair.RetryInterval);
        var second = _peer.ExpectMsg<StreamPartition>();
        Assert.NotEqual(first.RequestId, second.RequestId);
        _peer.LastSender.Tell(new PartitionChunk(second.RequestId, PeerNode, [], Last: true), _peer.Ref);
        AwaitAssert(() => Assert.False(Read(replica, options, "k").NeedsRepair), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_read_waiting_for_the_peers_word_restarts_a_sync_that_gave_up_without_waiting_for_the_retry()
    {
        var options = OptionsWith(25, r => r with
        {
            IdleTimeout = TimeSpan.FromMilliseconds(300), RetryInterval = TimeSpan.FromMinutes(10), ReadHold = TimeSpan.FromSeconds(30),
        });
        var replica = Sys.ActorOf(Replica.Props(options));
        _peer.ExpectMsg<StreamPartition>(); // never answered: the sync gives up after 300 ms and would retry in 10 min
        LetGiveUp(_peer.LastSender, replica, options);
        _peer.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // giving up asks nobody

        replica.Tell(new ReadKey(++_requestId, options.Partition, "k"), TestActor);

        var again = _peer.ExpectMsg<StreamPartition>();
        _peer.LastSender.Tell(new PartitionChunk(again.RequestId, PeerNode, [], Last: true), _peer.Ref);
        Assert.False(ExpectMsg<KeyRead>().NeedsRepair);
    }

    /// <summary>
    /// Lets <paramref name="replica"/>'s <paramref name="resync"/> hear nothing for its idle timeout, and returns once it
    /// gave up and the replica has handled its end (and armed its retry).
    /// </summary>
    private void LetGiveUp(IActorRef resync, IActorRef replica, ReplicaOptions options)
    {
        Watch(resync);
        // Its idle timeout is armed once it has handled the message that asked the peer: it answers Identify after that.
        resync.Tell(new Identify(null), TestActor);
        ExpectMsg<ActorIdentity>();
        Clock.Advance(options.Repair.IdleTimeout);
        ExpectTerminated(resync);
        // Akka told the replica (its parent) before this spec, and queues the replica's Terminated as it takes that in:
        // after one round trip the Terminated is ahead of anything sent next, after a second it has been handled.
        Inspect(replica, "k");
        Inspect(replica, "k");
    }
}
