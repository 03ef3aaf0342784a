using Akka.Actor;
using LeaderlessActors.Storage;

namespace LeaderlessActors.Replication;

/// <summary>
/// The entry point of a node's replicas: coordinators anywhere in the cluster send replica commands here, and the host
/// routes each to the replica of its partition, starting that replica on first use (it then recovers from the journal).
/// </summary>
internal sealed class ReplicaHost : UntypedActor
{
    public const string Name = "leaderless-replicas";

    private readonly int _partitionCount;
    private readonly Address _node;
    private readonly StoragePlugins _storage;
    private readonly IActorRef?[] _replicas;

    public ReplicaHost(int partitionCount, Address node, StoragePlugins storage)
    {
        _partitionCount = partitionCount;
        _node = node;
        _storage = storage;
        _replicas = new IActorRef?[partitionCount];
    }

    public static Props Props(int partitionCount, Address node, StoragePlugins storage) =>
        Akka.Actor.Props.Create(() => new ReplicaHost(partitionCount, node, storage));

    protected override SupervisorStrategy SupervisorStrategy() =>
        // A replica that throws is stopped, not restarted in place: the next command starts it again from the journal.
        new OneForOneStrategy(_ => Directive.Stop);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case IReplicaCommand c when c.Partition < 0 || c.Partition >= _partitionCount:
                Sender.Tell(new ReplicaFailed(c.RequestId, _node, ReplicaFailure.UnknownPartition,
                    $"partition {c.Partition} is outside 0..{_partitionCount - 1}; do all nodes use the same leaderless.partition-count?"));
                break;
            case IReplicaCommand c:
                ReplicaOf(c.Partition).Forward(c);
                break;
            case Terminated t:
                for (var p = 0; p < _replicas.Length; p++)
                    if (t.ActorRef.Equals(_replicas[p])) _replicas[p] = null;
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private IActorRef ReplicaOf(int partition)
    {
        if (_replicas[partition] is { } existing) return existing;
        var replica = Context.ActorOf(Replica.Props(partition, _node, _storage.JournalPluginId, _storage.SnapshotPluginId), $"p{partition}");
        Context.Watch(replica);
        return _replicas[partition] = replica;
    }
}
