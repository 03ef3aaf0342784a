using Akka.Actor;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.AntiEntropy;

/// <summary>
/// One anti-entropy exchange of a partition between its reachable owners, as <see cref="ExchangeState{TPeer}"/>
/// decides: level-by-level hash comparison, then the differing leaves' entries, then the differing keys' states and the
/// repairs (ordinary <see cref="MergeKeyState"/> merges). Every key state read or sent is charged to the node's
/// <see cref="RepairThrottle"/>, which paces the next step. Tells its parent <see cref="Ended"/> and stops; a replica
/// that refuses or stays silent for the exchange timeout ends it as failed (the next round tries again). Whatever way it
/// stops (ended, or stopped before: its worker stopped or moved, or it threw), it hands its outcome to its record when
/// it stops, from its own thread: the parent may be stopping too, and the repairs it made happened all the same.
/// </summary>
internal sealed class PartitionExchange : UntypedActor, IWithTimers
{
    /// <summary>How an exchange ended: <paramref name="AllOwners"/> when every owner of the partition took part.</summary>
    public sealed record Ended(int Partition, bool Completed, bool InSync, bool AllOwners, long KeysRepaired, long Bytes, string? Failure);

    private sealed record Continue
    {
        public static readonly Continue Instance = new();
    }

    private const int HashBytes = 8;

    private readonly int _partition;
    private readonly IReadOnlyDictionary<Address, IActorRef> _replicas;
    private readonly bool _allOwners;
    private readonly AntiEntropySettings _settings;
    private readonly long _chunkBytes;
    private readonly RepairThrottle _throttle;
    private readonly Action<Ended> _record;
    private readonly ExchangeState<Address> _state;
    private Ended? _outcome;
    private long _requestId;
    private int _repairsPending;
    private long _keysRepaired, _bytes;

    public PartitionExchange(int partition, IReadOnlyDictionary<Address, IActorRef> replicas, bool allOwners, AntiEntropySettings settings,
        long chunkBytes, RepairThrottle throttle, Action<Ended> record)
    {
        _record = record;
        _partition = partition;
        _replicas = replicas;
        _allOwners = allOwners;
        _settings = settings;
        _chunkBytes = chunkBytes;
        _throttle = throttle;
        _state = new ExchangeState<Address>(replicas.Keys.ToArray(), settings.TreeShape);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    // record: takes the outcome once, as the exchange stops, on the exchange's thread, so it may only touch thread-safe
    // state (metrics, status totals).
    public static Props Props(int partition, IReadOnlyDictionary<Address, IActorRef> replicas, bool allOwners, AntiEntropySettings settings,
        long chunkBytes, RepairThrottle throttle, Action<Ended> record) =>
        Akka.Actor.Props.Create(() =>
            new PartitionExchange(partition, replicas, allOwners, settings, chunkBytes, throttle, record));

    protected override void PreStart()
    {
        Context.SetReceiveTimeout(_settings.ExchangeTimeout);
        Ask();
    }

    protected override void PostStop() =>
        _record(_outcome ?? new Ended(_partition, Completed: false, _state.InSyncAtRoot, _allOwners, _keysRepaired, _bytes,
            "stopped before it ended"));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case TreeHashesRead r when r.RequestId == _requestId && _state.Step == ExchangeStep.Hashes:
                _bytes += r.Hashes.Length * HashBytes;
                if (_state.Answered(r.Node, r.Hashes)) Next(_state.HashesComplete);
                break;
            case TreeLeavesRead r when r.RequestId == _requestId && _state.Step == ExchangeStep.Leaves:
                _bytes += r.Entries.Sum(e => e.Key.Length * 3L + HashBytes);
                if (_state.Answered(r.Node, r.Entries)) Next(_state.LeavesComplete);
                break;
            case KeyStatesRead r when r.RequestId == _requestId && _state.Step == ExchangeStep.States:
                _bytes += Charge(r.States.Sum(s => KeyStateSize.Of(s.Key, s.Value)));
                if (_state.Answered(r.Node, r.States)) Repair(_state.StatesComplete());
                break;
            case KeyStored s when s.RequestId == _requestId && _repairsPending > 0:
                if (--_repairsPending == 0) Pace();
                break;
            case ReplicaFailed f when f.RequestId == _requestId:
                End(completed: false, $"{f.Node} refused: {f.Message}");
                break;
            case Continue:
                Ask();
                break;
            case ReceiveTimeout:
                End(completed: false, $"no answer within {_settings.ExchangeTimeout} (leaderless.anti-entropy.exchange-timeout)");
                break;
            default:
                Unhandled(message); // an answer to an earlier step
                break;
        }
    }

    private void Next(Action complete)
    {
        complete();
        Ask();
    }

    private void Repair(IReadOnlyList<(Address Replica, string Key, SiblingSet State)> repairs)
    {
        _keysRepaired += repairs.Select(r => r.Key).Distinct().Count();
        _repairsPending = repairs.Count;
        foreach (var (replica, key, state) in repairs)
        {
            _bytes += Charge(KeyStateSize.Of(key, state));
            _replicas[replica].Tell(new MergeKeyState(_requestId, _partition, key, state));
        }
        if (_repairsPending == 0) Pace();
    }

    private long Charge(long bytes)
    {
        _pause += _throttle.Reserve(bytes);
        return bytes;
    }

    private TimeSpan _pause;

    /// <summary>The next step waits for what this one took from the throttle.</summary>
    private void Pace()
    {
        var pause = _pause;
        _pause = TimeSpan.Zero;
        if (pause <= TimeSpan.Zero) Ask();
        else Timers.StartSingleTimer(Continue.Instance, Continue.Instance, pause);
    }

    /// <summary>Sends the current step's request to every replica under a new request id, or ends when none is left.</summary>
    private void Ask()
    {
        if (_state.Step == ExchangeStep.Done)
        {
            End(completed: true, failure: null);
            return;
        }
        _requestId = RandomIds.Next();
        var shape = _settings.TreeShape;
        object request = _state.Step switch
        {
            ExchangeStep.Hashes => new ReadTreeHashes(_requestId, _partition, shape.Fanout, shape.Depth, _state.Level, _state.Nodes),
            ExchangeStep.Leaves => new ReadTreeLeaves(_requestId, _partition, shape.Fanout, shape.Depth, _state.Nodes),
            _ => new ReadKeyStates(_requestId, _partition, _state.KeysAsked(_chunkBytes), _chunkBytes),
        };
        foreach (var host in _replicas.Values) host.Tell(request);
    }

    private void End(bool completed, string? failure)
    {
        // Every owner held the same tree: each may mark its tombstones as held by all (see ReplicaCore's collection).
        if (completed && _allOwners && _state.InSyncAtRoot)
            foreach (var host in _replicas.Values) host.Tell(new MarkStable(_requestId, _partition, _state.Root));
        _outcome = new Ended(_partition, completed, _state.InSyncAtRoot, _allOwners, _keysRepaired, _bytes, failure);
        Context.Parent.Tell(_outcome);
        Context.Stop(Self);
    }
}
