using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using LeaderlessActors.Coordination;
using LeaderlessActors.Versioning;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.Tests;

/// <summary>
/// Base of the coordinator specs: TestProbes stand in for the replica hosts of three nodes (n1, n2, n3), and a hand-made
/// <see cref="RequestPlan"/> points the coordinator at them. Probes answer with the internal replica protocol.
/// A spec class on <see cref="VirtualTime"/> passes its <paramref name="config"/> and lets deadlines pass with
/// <see cref="PassTime"/>.
/// </summary>
public abstract class CoordinatorSpec(ITestOutputHelper output, Config? config = null) : Akka.TestKit.Xunit2.TestKit(config, output: output)
{
    protected const long RequestId = 42;
    protected const string Key = "user:42";
    protected const int Partition = 7;

    /// <summary>Short enough to keep the suite fast, long enough for a loaded 2-core machine to deliver the replies.</summary>
    protected static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>For specs where the deadline must not interfere.</summary>
    protected static readonly TimeSpan LongTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How long a spec waits to be sure something did not happen.</summary>
    protected static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(150);

    protected static readonly TimeSpan Window = TimeSpan.FromMilliseconds(300);

    protected readonly Guid CorrelationId = Guid.NewGuid();

    /// <summary>A value written on replica 1, and a newer one written over it on replica 2.</summary>
    private protected static readonly SiblingSet Old = Written(0xA, epoch: 1);
    private protected static readonly SiblingSet New = Written(0xB, epoch: 2, seen: Old);

    protected static Address Node(int i) => new("akka.tcp", "s", $"n{i}", 1);

    /// <summary>Probes for the replica hosts of n1..n<paramref name="count"/>.</summary>
    protected TestProbe[] Replicas(int count = 3) => Enumerable.Range(1, count).Select(i => CreateTestProbe($"host-n{i}")).ToArray();

    /// <summary>
    /// A plan over <paramref name="replicas"/> (probe i is node n(i+1)); <paramref name="unreachable"/> primaries follow them.
    /// Replicas answer through the spec's <see cref="ReplyEndpoint"/>, as in a store: a probe's Reply goes to the
    /// endpoint, which forwards it to the coordinator.
    /// </summary>
    private protected RequestPlan Plan(TestProbe[] replicas, int required, TimeSpan timeout, params Address[] unreachable) =>
        new(RequestId, Key, Partition,
            replicas.Select((_, i) => Node(i + 1)).Concat(unreachable).ToArray(),
            replicas.Select((p, i) => (Node(i + 1), p.Ref)).ToArray(),
            unreachable, required, timeout) { Replies = Replies };

    /// <summary>The reply endpoint of this spec's coordinators.</summary>
    private protected ReplyEndpoint Replies => _replies ??= new ReplyEndpoint(((ExtendedActorSystem)Sys).Provider);

    private ReplyEndpoint? _replies;

    /// <summary>A key state holding <paramref name="value"/>, written by replica <paramref name="epoch"/> over <paramref name="seen"/>.</summary>
    private protected static SiblingSet Written(byte value, long epoch, SiblingSet? seen = null) =>
        (seen ?? SiblingSet.Empty).Update(seen?.Clock ?? VersionVector.Empty, [value], epoch);

    protected static string[] Hex(IEnumerable<byte[]> values) => values.Select(Convert.ToHexString).Order().ToArray();

    protected static string[] Names(params int[] nodes) => nodes.Select(i => Node(i).ToString()).ToArray();

    /// <summary>The details a quorum failure must carry: how many were required, which nodes answered, which are missing.</summary>
    protected static void AssertQuorumDetails(QuorumNotReachedException error, int required, int[] answered, int[] missing)
    {
        Assert.Equal(required, error.Required);
        Assert.Equal(answered.Length, error.Answered);
        Assert.Equal(Names(answered), error.AnsweredReplicas);
        Assert.Equal(Names(missing), error.MissingReplicas);
    }

    /// <summary>
    /// On <see cref="VirtualTime"/>: lets <paramref name="elapsed"/> pass once <paramref name="coordinator"/> has started,
    /// so that its PreStart has armed its deadline. A probe's reply reaches the coordinator's mailbox before Reply returns
    /// (through the reply endpoint, on the replying thread), so every answer sent before this call comes ahead of the
    /// deadline, however slow the machine.
    /// </summary>
    protected void PassTime(IActorRef coordinator, TimeSpan elapsed)
    {
        var started = CreateTestProbe();
        coordinator.Tell(new Identify(null), started.Ref); // answered only after PreStart
        started.ExpectMsg<ActorIdentity>();
        ((TestScheduler)Sys.Scheduler).Advance(elapsed);
    }

    /// <summary>Starts a coordinator (replies go to TestActor) and a probe watching it, to assert that it stops.</summary>
    protected (IActorRef Coordinator, TestProbe Watcher) Start(Props props)
    {
        var coordinator = Sys.ActorOf(props);
        var watcher = CreateTestProbe();
        watcher.Watch(coordinator);
        return (coordinator, watcher);
    }
}
