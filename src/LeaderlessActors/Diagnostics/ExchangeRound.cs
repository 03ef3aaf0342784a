using Akka.Actor;
using LeaderlessActors.AntiEntropy;
using LeaderlessActors.Replication;

namespace LeaderlessActors.Diagnostics;

/// <summary>One anti-entropy round over every partition, one <see cref="PartitionExchange"/> at a time, as a worker runs
/// them; completes with the keys repaired and bytes moved in all.</summary>
internal sealed class ExchangeRound : UntypedActor
{
    private readonly int _partitions;
    private readonly IReadOnlyDictionary<Address, IActorRef> _replicas;
    private readonly AntiEntropySettings _settings;
    private readonly long _chunkBytes;
    private readonly RepairThrottle _throttle;
    private readonly TaskCompletionSource<(long Keys, long Bytes)> _done;
    private int _next;
    private long _keys, _bytes;

    public ExchangeRound(int partitions, IReadOnlyDictionary<Address, IActorRef> replicas, AntiEntropySettings settings, long chunkBytes,
        RepairThrottle throttle, TaskCompletionSource<(long Keys, long Bytes)> done)
    {
        (_partitions, _replicas, _settings, _chunkBytes, _throttle, _done) = (partitions, replicas, settings, chunkBytes, throttle, done);
        StartNext();
    }

    private void StartNext() =>
        // The round counts from the Ended it is told; an exchange stopped before it ended is the round's own stop.
        Context.ActorOf(PartitionExchange.Props(_next++, _replicas, allOwners: true, _settings, _chunkBytes, _throttle,
            record: _ => { }));

    protected override void OnReceive(object message)
    {
        if (message is not PartitionExchange.Ended ended) return;
        if (!ended.Completed)
        {
            _done.TrySetException(new InvalidOperationException($"The exchange of partition {ended.Partition} failed: {ended.Failure}"));
            Context.Stop(Self);
            return;
        }
        _keys += ended.KeysRepaired;
        _bytes += ended.Bytes;
        if (_next < _partitions) StartNext();
        else
        {
            _done.TrySetResult((_keys, _bytes));
            Context.Stop(Self);
        }
    }
}
