using System.Security.Cryptography;
using Akka.Actor;
using LeaderlessActors.Partitioning;

namespace LeaderlessActors.Replication;

/// <summary>
/// Repairs a replica that lost history: asks every other replica of its partition for its whole state and merges it
/// into the parent replica key by key (as <see cref="StoreKey"/>s, so merging stays the replica's one code path). Tells
/// the parent <see cref="Completed"/> once every peer's state is durably merged; stops without it when a peer is
/// unreachable or goes quiet, and the parent tries again later.
/// All peers, not only the reachable ones: an acknowledged write the lost history held may survive on one peer alone,
/// and until that peer's state is in, this replica's answers could miss it.
/// </summary>
internal sealed class PartitionResync : UntypedActor
{
    /// <summary>Every peer's state is durably merged into the parent.</summary>
    public sealed record Completed
    {
        public static readonly Completed Instance = new();
    }

    private readonly ReplicaOptions _options;
    // One stream per peer, each under its own request id: id -> (peer, keys of its current chunk not yet stored).
    private readonly Dictionary<long, (Address Peer, IActorRef? Streamer, int Unstored, bool Last)> _streams = [];

    public PartitionResync(ReplicaOptions options)
    {
        _options = options;
        Context.SetReceiveTimeout(options.Repair.IdleTimeout);
    }

    public static Props Props(ReplicaOptions options) => Akka.Actor.Props.Create(() => new PartitionResync(options));

    protected override void PreStart()
    {
        var topology = _options.Topology.Current;
        var replicas = topology.Ring.PreferenceList(_options.Partition);
        if (replicas.Count == 0)
        {
            GiveUp(); // membership is not known yet
            return;
        }
        foreach (var peer in replicas.Where(n => n != _options.Node))
        {
            if (!topology.IsReachable(peer) || topology.HostOf(peer) is not { } host)
            {
                GiveUp();
                return;
            }
            var requestId = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
            _streams[requestId] = (peer, null, 0, false);
            host.Tell(new StreamPartition(requestId, _options.Partition, _options.Repair.ChunkBytes));
        }
        // With no other replica there is nobody to repair from: what this replica holds is all there is.
        CompleteWhenDone();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case PartitionChunk c when _streams.TryGetValue(c.RequestId, out var stream) && stream.Peer == c.Node:
                foreach (var (key, state) in c.Keys) Context.Parent.Tell(new StoreKey(c.RequestId, _options.Partition, key, state));
                _streams[c.RequestId] = (stream.Peer, Sender, c.Keys.Length, c.Last);
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
