using Akka.Actor;
using LeaderlessActors.Partitioning;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Benchmarks.Scale;

/// <summary>
/// Writes keys straight into a node's replicas (the internal replica protocol, no coordinator), keeping a window of
/// writes in flight: the fastest way to give one node a million keys. Each write is acknowledged only once durable.
/// With a null value it deletes them instead: each key is read first, so the delete's context covers the value.
/// </summary>
internal sealed class BulkLoader : UntypedActor
{
    private readonly IActorRef _host;
    private readonly KeyPartitioner _partitioner;
    private readonly int _keys;
    private readonly TaskCompletionSource _done;
    private int _sent;
    private int _acknowledged;

    public BulkLoader(IActorRef host, int partitions, int keys, byte[]? value, int window, TaskCompletionSource done)
    {
        _host = host;
        _partitioner = new KeyPartitioner(partitions);
        _keys = keys;
        _value = value;
        _done = done;
        for (var i = 0; i < Math.Min(window, keys); i++) SendNext();
    }

    public static string KeyOf(int index) => $"key-{index:D7}";

    private readonly byte[]? _value;

    private void SendNext()
    {
        var index = _sent++;
        var key = KeyOf(index);
        if (_value is null) _host.Tell(new ReadKey(index, _partitioner.PartitionOf(key), key));
        else _host.Tell(new CoordinateWrite(index, _partitioner.PartitionOf(key), key, _value, VersionVector.Empty, MaxSiblings: 64));
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case KeyRead read:
                var key = KeyOf((int)read.RequestId);
                _host.Tell(new CoordinateWrite(read.RequestId, _partitioner.PartitionOf(key), key, null, read.State.Clock, MaxSiblings: 64));
                break;
            case WriteCoordinated:
                if (++_acknowledged == _keys) _done.TrySetResult();
                else if (_sent < _keys) SendNext();
                break;
            case ReplicaFailed failed:
                _done.TrySetException(new InvalidOperationException($"Loading key {failed.RequestId} failed: {failed.Message}"));
                Context.Stop(Self);
                break;
        }
    }
}
