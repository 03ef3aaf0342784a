using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using LeaderlessActors.Membership;
using LeaderlessActors.Partitioning;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests.Storage;

/// <summary>
/// A replica holding a copy of a partition its node does not own, with no move of it known (a stray), hands every key to
/// every owner and drops its copy only once each owner stored each key. The owners' hosts are probes that store what
/// they are sent (or refuse it, or hold their answers back).
/// </summary>
public class StrayHandoverSpec : TestKit
{
    private static readonly Address[] OwnerNodes = [.. Enumerable.Range(2, 3).Select(i => new Address("akka.tcp", "test", $"owner{i}", i))];
    private readonly ConcurrentDictionary<(Address Owner, string Key), SiblingSet> _stored = new();
    private readonly ConcurrentDictionary<Address, int> _merges = new();
    // Owners that refuse every key, and owners that hold their answers back (sent once the test lets them go).
    private readonly ConcurrentDictionary<Address, bool> _refusing = new();
    private readonly ConcurrentDictionary<Address, ConcurrentQueue<(IActorRef ReplyTo, KeyStored Answer)>> _holding = new();
    private readonly (Address Node, IActorRef Host)[] _owners;
    private long _requestId;

    // Generous waits: test classes run in parallel on few cores.
    public StrayHandoverSpec() : base("akka.loglevel = OFF\nakka.test.single-expect-default = 10s") =>
        _owners = OwnerNodes.Select(node => (node, OwnerHost(node))).ToArray();

    [Fact]
    public void A_stray_copy_goes_to_every_owner_and_is_dropped_once_each_stored_every_key()
    {
        var (replica, options) = StartStray();
        var keys = Enumerable.Range(0, 40).ToDictionary(i => $"k{i}", i => State(i + 1, new byte[100])); // several 1 KiB chunks
        foreach (var (key, state) in keys) Merge(replica, options, key, state);

        replica.Tell(HandOverStrayCopy.Instance);

        AwaitAssert(() => Assert.Equal(Released, Inspect(replica, "k0").RepairReason), TimeSpan.FromSeconds(10));
        foreach (var (key, state) in keys)
        {
            Assert.Empty(Inspect(replica, key).State.Siblings);
            foreach (var owner in OwnerNodes) Assert.Equal(state, _stored[(owner, key)]);
        }
    }

    [Fact]
    public void An_owner_that_does_not_store_the_keys_holds_the_release_back_and_the_hand_over_is_tried_again_until_it_does()
    {
        var (replica, options) = StartStray();
        var state = State(7, [7]);
        Merge(replica, options, "k", state);
        _refusing[OwnerNodes[2]] = true;

        replica.Tell(HandOverStrayCopy.Instance);

        AwaitCondition(() => _merges.GetValueOrDefault(OwnerNodes[2]) >= 3, TimeSpan.FromSeconds(10)); // tried again, twice
        Assert.Equal(state, Inspect(replica, "k").State);
        Assert.Null(Inspect(replica, "k").RepairReason);
        _refusing[OwnerNodes[2]] = false;
        AwaitAssert(() => Assert.Equal(Released, Inspect(replica, "k").RepairReason), TimeSpan.FromSeconds(10));
        Assert.Equal(state, _stored[(OwnerNodes[2], "k")]);
    }

    [Fact]
    public void A_key_written_while_the_copy_is_handed_over_reaches_every_owner_before_the_copy_goes()
    {
        var (replica, options) = StartStray();
        Merge(replica, options, "first", State(1, [1]));
        var holding = _holding[OwnerNodes[0]] = new ConcurrentQueue<(IActorRef, KeyStored)>();

        replica.Tell(HandOverStrayCopy.Instance);
        AwaitCondition(() => !holding.IsEmpty, TimeSpan.FromSeconds(10));
        var late = State(2, [2]);
        Merge(replica, options, "late", late); // e.g. from a coordinator that still counts this node
        _holding.TryRemove(OwnerNodes[0], out _);
        while (holding.TryDequeue(out var held)) held.ReplyTo.Tell(held.Answer);

        AwaitAssert(() => Assert.Equal(Released, Inspect(replica, "late").RepairReason), TimeSpan.FromSeconds(10));
        foreach (var owner in OwnerNodes) Assert.Equal(late, _stored[(owner, "late")]);
    }

    [Fact]
    public void A_replica_that_crashed_in_the_middle_of_a_hand_over_keeps_its_copy_and_hands_it_over_again_at_its_next_start()
    {
        var (replica, options) = StartStray();
        var state = State(1, [1]);
        Merge(replica, options, "k", state);
        var holding = _holding[OwnerNodes[0]] = new ConcurrentQueue<(IActorRef, KeyStored)>();
        replica.Tell(HandOverStrayCopy.Instance);
        AwaitCondition(() => !holding.IsEmpty, TimeSpan.FromSeconds(10));

        Watch(replica);
        Sys.Stop(replica); // a crash: no clean-stop marker, and owner 0 never answered
        ExpectTerminated(replica);
        _holding.TryRemove(OwnerNodes[0], out _);
        replica = Sys.ActorOf(Replica.Props(options));
        Assert.Equal(state, Inspect(replica, "k").State);

        replica.Tell(HandOverStrayCopy.Instance);
        AwaitAssert(() => Assert.Equal(Released, Inspect(replica, "k").RepairReason), TimeSpan.FromSeconds(10));
        foreach (var owner in OwnerNodes) Assert.Equal(state, _stored[(owner, "k")]);
    }

    [Fact]
    public void A_replica_whose_node_owns_the_partition_keeps_its_copy_and_hands_nothing_over()
    {
        var (replica, options) = StartStray();
        Merge(replica, options, "k", State(1, [1]));
        // The ring changes: three owners and this node, every one of them an owner now (the owners only grew: no move).
        var current = options.Topology.Current;
        options.Topology.Publish(current with { Ring = new HashRing([.. OwnerNodes, TestReplicas.Node], TestReplicas.Partitions, 4, 8) });

        replica.Tell(HandOverStrayCopy.Instance);
        replica.Tell(HandOverStrayCopy.Instance);

        Assert.Equal(State(1, [1]), Inspect(replica, "k").State); // the two checks ran before this answer
        Assert.Null(Inspect(replica, "k").RepairReason);
        Assert.False(_stored.ContainsKey((OwnerNodes[0], "k")));
    }

    private static string Released => RepairNeed.Released.Reason;

    /// <summary>A replica of a partition the three owners hold and this node does not, synced (with nothing) and ready.</summary>
    private (IActorRef Replica, ReplicaOptions Options) StartStray()
    {
        var ring = new HashRing([.. OwnerNodes, TestReplicas.Node], TestReplicas.Partitions, 3, 8);
        var partition = Enumerable.Range(0, TestReplicas.Partitions).First(p => !ring.PreferenceList(p).Contains(TestReplicas.Node));
        var topology = new Topology(new TopologySnapshot(TestReplicas.Node, ring, [], _owners.ToImmutableDictionary(o => o.Node, o => o.Host)));
        var options = TestReplicas.Options(partition) with { Topology = topology };
        var replica = Sys.ActorOf(Replica.Props(options));
        AwaitAssert(() => Assert.Null(Inspect(replica, "any").RepairReason), TimeSpan.FromSeconds(10));
        return (replica, options);
    }

    /// <summary>An owner's replica host: answers a resync with nothing, and stores (or refuses, or holds back) merges.</summary>
    private IActorRef OwnerHost(Address node)
    {
        var probe = CreateTestProbe();
        probe.SetAutoPilot(new DelegateAutoPilot((sender, message) =>
        {
            switch (message)
            {
                case StreamPartition s:
                    sender.Tell(new PartitionChunk(s.RequestId, node, [], Last: true), probe.Ref);
                    break;
                case MergeKeyState m when _refusing.GetValueOrDefault(node):
                    _merges.AddOrUpdate(node, 1, (_, n) => n + 1);
                    sender.Tell(new ReplicaFailed(m.RequestId, node, ReplicaFailure.StorageFailed, "refused by the test"), probe.Ref);
                    break;
                case MergeKeyState m:
                    _merges.AddOrUpdate(node, 1, (_, n) => n + 1);
                    _stored.AddOrUpdate((node, m.Key), m.State, (_, old) => old.Merge(m.State));
                    var answer = new KeyStored(m.RequestId, node);
                    if (_holding.TryGetValue(node, out var holding)) holding.Enqueue((sender, answer));
                    else sender.Tell(answer, probe.Ref);
                    break;
            }
            return AutoPilot.KeepRunning;
        }));
        return probe.Ref;
    }

    private void Merge(IActorRef replica, ReplicaOptions options, string key, SiblingSet state)
    {
        replica.Tell(new MergeKeyState(++_requestId, options.Partition, key, state), TestActor);
        ExpectMsg<KeyStored>();
    }

    private KeyInspected Inspect(IActorRef replica, string key)
    {
        replica.Tell(new InspectKey(++_requestId, 0, key), TestActor);
        return ExpectMsg<KeyInspected>();
    }

    private static SiblingSet State(long epoch, byte[] value) => SiblingSet.Empty.Update(VersionVector.Empty, value, epoch);
}
