using System.Security.Cryptography;
using Akka.Actor;
using LeaderlessActors.Partitioning;

namespace LeaderlessActors.Replication;

/// <summary>
/// Syncs a replica with its peers: asks the other replicas of its partition for their whole state and merges it into
/// the parent replica key by key (as <see cref="StoreKey"/>s, so merging stays the replica's one code path). Tells the
/// parent <see cref="Completed"/> once every asked peer's state is durably merged; stops without it when a peer it
/// needs is unreachable or goes quiet, and the parent tries again later.
/// A replica that lost history needs every peer, reachable or not: an acknowledged write it held may survive on one
/// peer alone. One that started without history syncs with the peers it can reach.
/// </summary>
internal sealed class PartitionResync : UntypedActor, IWithTimers
{
    /// <summary>Every asked peer's state is durably merged into the parent.</summary>
    public sealed record Completed
    {
        public static readonly Completed Instance = new();
    }

    /// <summary>A peer knew another epoch at this replica's address: it stands where a replica lost its storage.</summary>
    public sealed record Replaced(Address Peer, long EarlierEpoch);

    private sealed record Begin
    {
        public static readonly Begin Instance = new();
    }

    private static readonly TimeSpan MembershipPoll = TimeSpan.FromMilliseconds(200);

    private readonly ReplicaOptions _options;
    private readonly bool _fromEveryPeer;
    private readonly long _replicaId;
    private readonly DateTime _membershipDeadline;
    /// <summary>One peer's stream: who sends it, how many keys of its current chunk are not yet stored, whether that
    /// chunk is its last.</summary>
    private readonly record struct Stream(Address Peer, IActorRef? Streamer, int Unstored, bool Last);

    // One stream per peer, each under its own request id.
    private readonly Dictionary<long, Stream> _streams = [];

    public PartitionResync(ReplicaOptions options, bool fromEveryPeer, long replicaId)
    {
        _options = options;
        _fromEveryPeer = fromEveryPeer;
        _replicaId = replicaId;
        _membershipDeadline = DateTime.UtcNow + options.Repair.IdleTimeout;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ReplicaOptions options, bool fromEveryPeer, long replicaId) =>
        Akka.Actor.Props.Create(() => new PartitionResync(options, fromEveryPeer, replicaId));

    protected override void PreStart() => Self.Tell(Begin.Instance);

    private void Start()
    {
        var topology = _options.Topology.Current;
        var replicas = topology.Ring.PreferenceList(_options.Partition);
        // Until this node has seen the membership it does not know its peers; and a sync with every peer needs them all
        // in the ring (a node forming a cluster alone after a restart would otherwise find nobody and call it done).
        if (replicas.Count == 0 || (_fromEveryPeer && replicas.Count < topology.Ring.ReplicationFactor))
        {
            if (DateTime.UtcNow < _membershipDeadline) Timers.StartSingleTimer(Begin.Instance, Begin.Instance, MembershipPoll);
            else GiveUp();
            return;
        }
        var peers = replicas.Where(n => n != _options.Node)
            .Select(n => (Node: n, Host: topology.IsReachable(n) ? topology.HostOf(n) : null)).ToArray();
        if (_fromEveryPeer && peers.Any(p => p.Host is null))
        {
            GiveUp();
            return;
        }
        foreach (var (peer, host) in peers)
        {
            if (host is null) continue;
            var requestId = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
            _streams[requestId] = new Stream(peer, null, 0, false);
            host.Tell(new StreamPartition(requestId, _options.Partition, _options.Repair.ChunkBytes, _options.Node, _replicaId));
        }
        Context.SetReceiveTimeout(_options.Repair.IdleTimeout);
        // With no peer to ask there is nobody to repair from: what this replica holds is all there is.
        CompleteWhenDone();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Begin:
                Start();
                break;
            case PartitionChunk c when c.EarlierEpoch != 0 && !_fromEveryPeer && _streams.ContainsKey(c.RequestId):
                Context.Parent.Tell(new Replaced(c.Node, c.EarlierEpoch));
                Context.Stop(Self);
                break;
            case PartitionChunk c when _streams.TryGetValue(c.RequestId, out var stream) && stream.Peer == c.Node:
                foreach (var (key, state) in c.Keys) Context.Parent.Tell(new StoreKey(c.RequestId, _options.Partition, key, state));
                _streams[c.RequestId] = new Stream(stream.Peer, Sender, c.Keys.Length, c.Last);
                ChunkProgress(c.RequestId);
                break;
            case KeyStored s when _streams.TryGetValue(s.RequestId, out var stream):
                _streams[s.RequestId] = stream with { Unstored = stream.Unstored - 1 };
                ChunkProgress(s.RequestId);
                break;
            case ReplicaFailed or ReceiveTimeout:
                GiveUp(); // the replica's storage failed (it restarts), a peer went away, or a chunk never came
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void ChunkProgress(long requestId)
    {
        var stream = _streams[requestId];
        if (stream.Unstored > 0) return;
        if (stream.Last) _streams.Remove(requestId);
        else stream.Streamer!.Tell(new PartitionChunkStored(requestId));
        CompleteWhenDone();
    }

    private void CompleteWhenDone()
    {
        if (_streams.Count > 0) return;
        Context.Parent.Tell(Completed.Instance);
        Context.Stop(Self);
    }

    private void GiveUp() => Context.Stop(Self);
}
