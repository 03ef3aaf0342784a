using Akka.Actor;
using Akka.TestKit;
using LeaderlessActors.Replication;
using Xunit;

namespace LeaderlessActors.Tests.Storage;

/// <summary>
/// A resync's timers on virtual time: its idle timeout, its retry and its reachability polls pass only when a spec lets
/// them, so what the spec sends or publishes before can never come too late for them, however loaded the machine. (On a
/// real clock, with a 300 ms idle timeout, an answer the test sent a little late was dropped by a sync that had given up
/// again; and a peer cut off for 1.5 s was not noticed by a poll due every 200 ms on a machine at load 22.)
/// </summary>
public sealed class ReplicaResyncTimersSpec() : ReplicaRepairSpecBase(VirtualTime.Config)
{
    // How often a resync checks reachability, and membership while it waits for a reachable peer.
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

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
        _peer.ExpectNoMsg(Quiet); // giving up asks nobody

        replica.Tell(new ReadKey(++_requestId, options.Partition, "k"), TestActor);

        var again = _peer.ExpectMsg<StreamPartition>();
        _peer.LastSender.Tell(new PartitionChunk(again.RequestId, PeerNode, [], Last: true), _peer.Ref);
        Assert.False(ExpectMsg<KeyRead>().NeedsRepair);
    }

    [Fact]
    public void A_replica_that_starts_without_history_asks_its_peer_again_as_soon_as_it_is_reachable()
    {
        // Retries are far off here: only watching reachability brings the peer's answer in time.
        var options = OptionsWith(22, r => r with
        {
            IdleTimeout = TimeSpan.FromSeconds(30), RetryInterval = TimeSpan.FromMinutes(10), ReadHold = TimeSpan.FromSeconds(30),
        });
        var reachable = options.Topology.Current;
        var cutOff = reachable with { Unreachable = [PeerNode] };
        options.Topology.Publish(cutOff);
        var replica = Sys.ActorOf(Replica.Props(options));
        var resync = ResyncOf(replica);
        for (var i = 0; i < 3; i++) PassPoll(resync);
        replica.Tell(new ReadKey(++_requestId, options.Partition, "k"), TestActor); // held, however late it comes
        Inspect(replica, "k"); // the read is in: it nudged the resync, which finds nobody reachable to ask
        PassPoll(resync);
        _peer.ExpectNoMsg(Quiet);

        options.Topology.Publish(reachable);
        PassPoll(resync);
        _peer.ExpectMsg<StreamPartition>();
        options.Topology.Publish(cutOff); // gone again before it answered
        for (var i = 0; i < 3; i++) PassPoll(resync);
        _peer.ExpectNoMsg(Quiet);
        options.Topology.Publish(reachable);
        PassPoll(resync);
        var sync = _peer.ExpectMsg<StreamPartition>();
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        _peer.LastSender.Tell(new PartitionChunk(sync.RequestId, PeerNode, [], Last: true), _peer.Ref);

        Assert.False(ExpectMsg<KeyRead>().NeedsRepair);
    }

    /// <summary>The resync <paramref name="replica"/> started (its one child), once it has.</summary>
    private IActorRef ResyncOf(IActorRef replica)
    {
        IActorRef? resync = null;
        AwaitAssert(() =>
        {
            var asker = CreateTestProbe();
            Sys.ActorSelection(replica.Path / "*").Tell(new Identify(null), asker.Ref);
            resync = asker.ExpectMsg<ActorIdentity>().Subject;
            Assert.NotNull(resync);
        }, TimeSpan.FromSeconds(10));
        return resync!;
    }

    /// <summary>One reachability poll passes, once <paramref name="resync"/> has handled all it was sent before (and so
    /// armed the poll): it answers Identify after those.</summary>
    private void PassPoll(IActorRef resync)
    {
        var asker = CreateTestProbe();
        resync.Tell(new Identify(null), asker.Ref);
        asker.ExpectMsg<ActorIdentity>();
        Clock.Advance(Poll);
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
