using LeaderlessActors.Membership;
using Akka.Actor;
using Akka.Event;
using LeaderlessActors.Diagnostics;
using LeaderlessActors.Partitioning;
using LeaderlessActors.Replication;

namespace LeaderlessActors.AntiEntropy;

/// <summary>
/// One of the fixed set of anti-entropy workers that Akka.Cluster.Sharding's ShardedDaemonProcess keeps alive somewhere in
/// the cluster (and starts again on another node when theirs goes down): worker <c>index</c> of <c>workers</c> owns the
/// rounds of partitions p with p mod workers = index, and starts one of them every interval / (its partitions), so each
/// partition is compared about once an interval. It runs at most <c>concurrency</c> exchanges at once and never two of one
/// partition; a partition whose exchange still runs when its turn comes again is passed over.
/// </summary>
internal sealed class AntiEntropyWorker : UntypedActor, IWithTimers
{
    /// <summary>What ShardedDaemonProcess sends to stop a worker (a rebalance, or the node leaving).</summary>
    public sealed record Stop
    {
        public static readonly Stop Instance = new();
    }

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private readonly int _index;
    private readonly Topology _topology;
    private readonly LeaderlessSettings _settings;
    private readonly RepairThrottle _throttle;
    private readonly AntiEntropyStatus _status;
    private readonly StoreMetrics _metrics;
    private readonly int[] _partitions;
    private readonly Dictionary<int, IActorRef> _running = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private int _next;

    public AntiEntropyWorker(int index, Topology topology, LeaderlessSettings settings, RepairThrottle throttle, AntiEntropyStatus status,
        StoreMetrics metrics)
    {
        _metrics = metrics;
        _index = index;
        _topology = topology;
        _settings = settings;
        _throttle = throttle;
        _status = status;
        var workers = settings.AntiEntropy.Workers;
        _partitions = Enumerable.Range(0, settings.PartitionCount).Where(p => p % workers == index).ToArray();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(int index, Topology topology, LeaderlessSettings settings, RepairThrottle throttle, AntiEntropyStatus status,
        StoreMetrics metrics) =>
        Akka.Actor.Props.Create(() => new AntiEntropyWorker(index, topology, settings, throttle, status, metrics));

    protected override void PreStart()
    {
        _status.WorkerStarted(_index);
        if (_partitions.Length == 0) return; // more workers than partitions: this one has none
        var spacing = _settings.AntiEntropy.Interval / _partitions.Length;
        Timers.StartPeriodicTimer(Tick.Instance, Tick.Instance, spacing);
    }

    protected override void PostStop() => _status.WorkerStopped(_index);

    // An exchange that throws (a bug) is stopped, not restarted: the partition's next turn starts a fresh one.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Tick:
                StartNext();
                break;
            case PartitionExchange.Ended e:
                Ended(e);
                break;
            case Terminated t:
                // Ended first when it ended in order; otherwise it failed without a word.
                foreach (var (partition, _) in _running.Where(r => r.Value.Equals(t.ActorRef)).ToArray()) _running.Remove(partition);
                break;
            case Stop:
                Context.Stop(Self);
                break;
            default:
                Unhandled(message); // the daemon process's keep-alive pings land here, and need no answer
                break;
        }
    }

    // Every exchange's outcome, given by the exchange as it stops (from its own thread, so thread-safe state only: the
    // metrics and the status totals). A failed or stopped exchange may have repaired keys before it ended: they count too.
    private void Record(PartitionExchange.Ended e)
    {
        _metrics.AntiEntropyExchangeEnded(e.Partition, e.Completed, e.KeysRepaired, e.Bytes);
        _status.ExchangeEnded(e.Completed, e.KeysRepaired, e.Bytes);
    }

    private void StartNext()
    {
        if (_running.Count >= _settings.AntiEntropy.Concurrency) return;
        var partition = _partitions[_next];
        _next = (_next + 1) % _partitions.Length;
        if (_running.ContainsKey(partition)) return; // still exchanging since its last turn
        var topology = _topology.Current;
        var owners = topology.Ring.PreferenceList(partition);
        var replicas = owners
            .Where(topology.IsReachable)
            .Select(o => (Owner: o, Host: topology.HostOf(o)))
            .Where(r => r.Host is not null)
            .ToDictionary(r => r.Owner, r => r.Host!);
        if (replicas.Count < 2) return; // nothing to compare with
        var allOwners = replicas.Count == owners.Count && owners.Count == _settings.ReplicationFactor;
        var exchange = Context.ActorOf(PartitionExchange.Props(partition, replicas, allOwners, _settings.AntiEntropy,
            _settings.Repair.ChunkBytes, _throttle, Record));
        Context.Watch(exchange);
        _running[partition] = exchange;
    }

    private void Ended(PartitionExchange.Ended e)
    {
        _running.Remove(e.Partition); // the exchange records its own outcome (see Record)
        if (!e.Completed)
        {
            _log.Info("Anti-entropy exchange of partition {0} failed and is tried at its next turn: {1}", e.Partition, e.Failure);
            return;
        }
        if (e.KeysRepaired > 0)
            _log.Debug("Anti-entropy exchange of partition {0} repaired {1} keys moving {2} bytes", e.Partition, e.KeysRepaired, e.Bytes);
    }
}
