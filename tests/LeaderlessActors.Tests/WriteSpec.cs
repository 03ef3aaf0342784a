using Akka.Actor;
using Akka.TestKit;
using LeaderlessActors.Coordination;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.Tests;

/// <summary>Base of the write coordinator specs: the client's write, the state the coordinating replica issues for it, and
/// the replicas' answers. On virtual time: a deadline or settle window passes when a spec says so, after the answers it
/// sent.</summary>
public abstract class WriteSpec(ITestOutputHelper output) : CoordinatorSpec(output, VirtualTime.Config)
{
    protected const int MaxSiblings = 5;
    private protected static readonly byte[] Value = [0xEE];
    private protected static readonly VersionVector ClientContext = Written(0xA, epoch: 1).Clock;
    private protected static readonly SiblingSet Stored = Written(0xEE, epoch: 1, seen: Written(0xA, epoch: 1));
    private protected static readonly Dot StoredDot = new(1, 2);

    private protected (IActorRef Coordinator, TestProbe Watcher) StartWrite(TestProbe[] replicas, int required, TimeSpan timeout, int self = 1,
        StoreOperation operation = StoreOperation.Put, params Address[] unreachable) =>
        Start(WriteCoordinator.Props(Plan(replicas, required, timeout, unreachable), operation,
            operation == StoreOperation.Delete ? null : Value, ClientContext, MaxSiblings, Node(self), CorrelationId, TestActor, Window));

    private protected static CoordinateWrite ExpectCoordinate(TestProbe replica)
    {
        var command = replica.ExpectMsg<CoordinateWrite>();
        Assert.Equal((RequestId, Partition, Key, MaxSiblings), (command.RequestId, command.Partition, command.Key, command.MaxSiblings));
        Assert.Equal(ClientContext, command.Context);
        return command;
    }

    /// <summary>The coordinating replica (probe <paramref name="index"/>) reports the write durable; the others get it to store.</summary>
    private protected static void Coordinated(TestProbe[] replicas, int index = 0) =>
        Replicated(replicas, index, new WriteCoordinated(RequestId, Node(index + 1), Stored, StoredDot));

    /// <summary>The coordinating replica (probe <paramref name="index"/>) tells the write it issued before it is durable;
    /// the others get it to store at once.</summary>
    private protected static void Issued(TestProbe[] replicas, int index = 0) =>
        Replicated(replicas, index, new WriteIssued(RequestId, Node(index + 1), Stored, StoredDot));

    private static void Replicated(TestProbe[] replicas, int index, object answer)
    {
        replicas[index].Reply(answer);
        for (var i = 0; i < replicas.Length; i++)
        {
            if (i == index) continue;
            var store = replicas[i].ExpectMsg<MergeKeyState>();
            Assert.Equal((RequestId, Partition, Key), (store.RequestId, store.Partition, store.Key));
            Assert.Equal(DvvWorld.Describe(Stored), DvvWorld.Describe(store.State));
            Assert.True(store.Write, "a replicated client write, held to the receiving replica's sibling bound");
        }
    }

    private protected static void Ack(TestProbe replica, int node) => replica.Reply(new KeyStored(RequestId, Node(node)));

    private protected static void Fail(TestProbe replica, int node, ReplicaFailure failure = ReplicaFailure.StorageFailed) =>
        replica.Reply(new ReplicaFailed(RequestId, Node(node), failure, "journal down"));

    private protected WriteOutcomeUnknownException ExpectUnknown(TimeSpan within, StoreOperation operation = StoreOperation.Put)
    {
        var failed = ExpectMsg<RequestFailed>(within);
        Assert.Equal(CorrelationId, failed.CorrelationId);
        var error = Assert.IsType<WriteOutcomeUnknownException>(failed.Error);
        Assert.True(error.IsOutcomeUnknown);
        Assert.Equal(operation, error.Operation);
        Assert.Equal(Key, error.Key);
        return error;
    }
}
