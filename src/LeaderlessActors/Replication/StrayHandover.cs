using Akka.Actor;
using Akka.Event;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

/// <summary>
/// Hands a stray copy's keys (see <see cref="StrayCopy"/>) to every current owner of the partition as
/// <see cref="MergeKeyState"/>s, a repair's one code path on the owner (a merge, so handing a key over twice is
/// harmless), one chunk at a time and paced by the node's repair throttle. Tells the parent replica
/// <see cref="HandedOver"/> once every owner durably stored every key; stops without it when an owner is out of reach,
/// refuses, or goes quiet for the resync idle timeout, and the replica tries again later. The decisions are
/// <see cref="StrayHandoverState{TPeer}"/>'s; this actor carries them out.
/// </summary>
internal sealed class StrayHandover : UntypedActor, IWithTimers
{
    /// <summary>Every one of <paramref name="Owners"/> durably stored each of <paramref name="Keys"/> as given.</summary>
    public sealed record HandedOver(IReadOnlyList<Address> Owners, KeyValuePair<string, SiblingSet>[] Keys);

    // The next chunk, sent once the repair throttle's pause is over.
    private sealed record SendNext : INotInfluenceReceiveTimeout
    {
        public static readonly SendNext Instance = new();
    }

    private readonly ReplicaOptions _options;
    private readonly IReadOnlyList<Address> _owners;
    private readonly KeyValuePair<string, SiblingSet>[] _keys;
    private readonly StrayHandoverState<Address> _state;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef[] _hosts = [];
    private long _requestId;
    private long _chunkBytes;

    public StrayHandover(ReplicaOptions options, IReadOnlyList<Address> owners, KeyValuePair<string, SiblingSet>[] keys)
    {
        _options = options;
        _owners = owners;
        _keys = keys;
        _state = new StrayHandoverState<Address>(owners, keys, options.Repair.ChunkBytes);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ReplicaOptions options, IReadOnlyList<Address> owners, KeyValuePair<string, SiblingSet>[] keys) =>
        Akka.Actor.Props.Create(() => new StrayHandover(options, owners, keys));

    protected override void PreStart()
    {
        // Every owner must store every key before the copy may go: one out of reach now means trying again later.
        var topology = _options.Topology.Current;
        var unreachable = _owners.Where(o => !topology.IsReachable(o) || topology.HostOf(o) is null).ToArray();
        if (unreachable.Length > 0)
        {
            GiveUp($"{string.Join(", ", unreachable)} unreachable");
            return;
        }
        _hosts = _owners.Select(o => topology.HostOf(o)!).ToArray();
        Context.SetReceiveTimeout(_options.Repair.IdleTimeout);
        Send();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case KeyStored s when s.RequestId == _requestId && _state.Stored(s.Node):
                ChunkStored();
                break;
            case KeyStored:
                break; // a duplicate, or an answer to an earlier chunk
            case SendNext:
                Send();
                break;
            case ReplicaFailed f when f.RequestId == _requestId:
                GiveUp($"{f.Node} did not store a key: {f.Message}");
                break;
            case ReceiveTimeout:
                GiveUp($"no answer for {_options.Repair.IdleTimeout}");
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Send()
    {
        var (chunk, bytes) = _state.NextChunk();
        _chunkBytes = bytes;
        _requestId = RandomIds.Next();
        foreach (var host in _hosts)
        foreach (var (key, state) in chunk)
            host.Tell(new MergeKeyState(_requestId, _options.Partition, key, state));
        if (chunk.Length == 0) ChunkStored(); // nothing to hand over
    }

    private void ChunkStored()
    {
        if (_state.Done)
        {
            Context.Parent.Tell(new HandedOver(_owners, _keys));
            Context.Stop(Self);
            return;
        }
        // Background repair shares one rate with anti-entropy and fills: each owner received the chunk.
        var pause = _options.Throttle?.Reserve(_chunkBytes * _hosts.Length) ?? TimeSpan.Zero;
        if (pause <= TimeSpan.Zero) Send();
        else Timers.StartSingleTimer(SendNext.Instance, SendNext.Instance, pause);
    }

    private void GiveUp(string why)
    {
        _log.Info("Hand-over of the stray copy of partition {0} to its owners gave up and is tried again later: {1}",
            _options.Partition, why);
        Context.Stop(Self);
    }
}
