using System.Security.Cryptography;
using Akka.Actor;
using Akka.Event;
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
    /// <summary>A read waits for the peers' word: ask the peers that have not answered again now, rather than at the
    /// next scheduled ask (a link that was cut may be back), unless they were asked less than resync-ask-again-after
    /// ago.</summary>
    public sealed record AskNow : INotInfluenceReceiveTimeout
    {
        public static readonly AskNow Instance = new();
    }

    /// <summary>Every asked peer's state is durably merged into the parent.</summary>
    public sealed record Completed
    {
        public static readonly Completed Instance = new();
    }

    /// <summary>A peer knew another epoch at this replica's address: it stands where a replica lost its storage.</summary>
    public sealed record Replaced(Address Peer, long EarlierEpoch);

    /// <summary>A peer has answered, and did not know another epoch at this replica's address. (One that does, later,
    /// still sends <see cref="Replaced"/>.)</summary>
    public sealed record PeersChecked
    {
        public static readonly PeersChecked Instance = new();
    }

    private sealed record Begin
    {
        public static readonly Begin Instance = new();
    }

    // Not a sign of life from a peer: it must not hold off the idle timeout.
    private sealed record CheckReachability : INotInfluenceReceiveTimeout
    {
        public static readonly CheckReachability Instance = new();
    }

    // Nor is asking again.
    private sealed record AskAgain : INotInfluenceReceiveTimeout
    {
        public static readonly AskAgain Instance = new();
    }

    private static readonly TimeSpan MembershipPoll = TimeSpan.FromMilliseconds(200);

    private readonly ReplicaOptions _options;
    private readonly bool _fromEveryPeer;
    private readonly long _replicaId;
    private readonly DateTime _membershipDeadline;
    /// <summary>One peer's stream: who sends it, how many keys of its current chunk are not yet stored, whether that
    /// chunk is its last.</summary>
    private readonly record struct Stream(Address Peer, IActorRef? Streamer, int Unstored, bool Last, bool Answered = false);

    // Each request under its own id; a peer asked again has several until one is answered, then that one alone.
    private readonly Dictionary<long, Stream> _streams = [];
    private TimeSpan _askAgainAfter;
    private DateTime _lastAsked;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _peersChecked;

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
            WaitForMembership($"the ring holds {replicas.Count} of its {topology.Ring.ReplicationFactor} replicas");
            return;
        }
        var peers = replicas.Where(n => n != _options.Node)
            .Select(n => (Node: n, Host: topology.IsReachable(n) ? topology.HostOf(n) : null)).ToArray();
        var unreachable = peers.Where(p => p.Host is null).Select(p => p.Node).ToArray();
        // A sync with every peer needs them all. One with the reachable peers needs at least one when there are peers, or
        // a replica that finds everyone out of reach would count as checked without having asked anybody; it watches for
        // one to come back rather than wait for a retry, as its reads wait for the check.
        if (unreachable.Length > 0 && _fromEveryPeer)
        {
            GiveUp($"{string.Join(", ", unreachable)} unreachable");
            return;
        }
        if (peers.Length > 0 && unreachable.Length == peers.Length)
        {
            WaitForMembership($"{string.Join(", ", unreachable)} unreachable");
            return;
        }
        foreach (var (peer, host) in peers)
            if (host is not null) Ask(peer, host);
        Context.SetReceiveTimeout(_options.Repair.IdleTimeout);
        Timers.StartPeriodicTimer(CheckReachability.Instance, CheckReachability.Instance, MembershipPoll);
        _askAgainAfter = _options.Repair.AskAgainAfter;
        ScheduleAskAgain();
        // With no peer to ask there is nobody to repair from: what this replica holds is all there is.
        CompleteWhenDone();
    }

    /// <summary>Asks <paramref name="peer"/> for its state under a new request id.</summary>
    private void Ask(Address peer, IActorRef host)
    {
        var requestId = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
        _streams[requestId] = new Stream(peer, null, 0, false);
        _lastAsked = DateTime.UtcNow;
        host.Tell(new StreamPartition(requestId, _options.Partition, _options.Repair.ChunkBytes, _options.Node, _replicaId,
            RequesterFresh: !_fromEveryPeer));
    }

    /// <summary>
    /// Peers answer a request at once; one that has not answered after a while may have lost the request or its answer
    /// (a cut link drops messages without the sender noticing): ask it again, at intervals doubling up to the retry
    /// interval, as a peer that is only slow (a big partition, a busy node) is asked for its whole state each time, while
    /// one that comes back after a cut should be asked soon. Every request stays valid: the first answered is streamed.
    /// </summary>
    private void AskSilentPeersAgain()
    {
        if (AskSilentPeers() == 0) return;
        var doubled = Math.Min(_askAgainAfter.Ticks * 2, _options.Repair.RetryInterval.Ticks);
        _askAgainAfter = TimeSpan.FromTicks(Math.Max(doubled, _options.Repair.AskAgainAfter.Ticks));
        ScheduleAskAgain();
    }

    private void ScheduleAskAgain() => Timers.StartSingleTimer(AskAgain.Instance, AskAgain.Instance, _askAgainAfter);

    /// <summary>Asks every reachable peer that has not answered yet again; returns how many peers are silent.</summary>
    private int AskSilentPeers()
    {
        var topology = _options.Topology.Current;
        var pending = _streams.Values.GroupBy(s => s.Peer).Where(g => !g.Any(s => s.Answered)).Select(g => g.Key);
        // Until a peer answered (so none has finished), one dropped as unreachable, or out of reach at the start, is
        // silent too: it may be back.
        if (!_peersChecked) pending = pending.Union(topology.Ring.PreferenceList(_options.Partition).Where(n => n != _options.Node));
        var silent = pending.ToArray();
        foreach (var peer in silent)
            if (topology.IsReachable(peer) && topology.HostOf(peer) is { } host) Ask(peer, host);
        return silent.Length;
    }

    /// <summary>The first answer of <paramref name="peer"/> came under <paramref name="answered"/>: forget its other
    /// requests (their answers are ignored; their streamers stop when nobody acknowledges a chunk).</summary>
    private void ForgetOtherRequests(Address peer, long answered)
    {
        foreach (var requestId in _streams.Where(s => s.Key != answered && s.Value.Peer == peer).Select(s => s.Key).ToArray())
            _streams.Remove(requestId);
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Begin:
                Start();
                break;
            case CheckReachability:
                DropUnreachablePeers();
                break;
            case AskAgain:
                AskSilentPeersAgain();
                break;
            case AskNow when DateTime.UtcNow - _lastAsked >= _options.Repair.AskAgainAfter:
                AskSilentPeers();
                ScheduleAskAgain(); // not again right after
                break;
            case AskNow:
                break;
            case PartitionChunk c when _streams.TryGetValue(c.RequestId, out var stream) && stream.Peer == c.Node:
                if (c.EarlierEpoch != 0 && !_fromEveryPeer)
                {
                    Context.Parent.Tell(new Replaced(c.Node, c.EarlierEpoch));
                    Context.Stop(Self);
                    return;
                }
                foreach (var (key, state) in c.Keys) Context.Parent.Tell(new StoreKey(c.RequestId, _options.Partition, key, state));
                Diagnostics.StoreMetrics.ResyncKeysReceived(c.Keys.Length);
                if (!stream.Answered) ForgetOtherRequests(stream.Peer, c.RequestId);
                _streams[c.RequestId] = new Stream(stream.Peer, Sender, c.Keys.Length, c.Last, Answered: true);
                TellWhenPeersChecked();
                ChunkProgress(c.RequestId);
                break;
            case KeyStored s when _streams.TryGetValue(s.RequestId, out var stream):
                _streams[s.RequestId] = stream with { Unstored = stream.Unstored - 1 };
                ChunkProgress(s.RequestId);
                break;
            case ReplicaFailed f:
                GiveUp($"merging failed: {f.Message}"); // the replica's storage failed; it restarts
                break;
            case PartitionChunk:
                break; // the answer to a request that another request to the same peer overtook
            case ReceiveTimeout:
                GiveUp($"no chunk from {string.Join(", ", _streams.Values.Select(v => v.Peer).Distinct())} for {_options.Repair.IdleTimeout}");
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

    /// <summary>
    /// A peer that became unreachable will not answer soon: a sync with every peer gives up (and tries again later),
    /// one with the reachable peers goes on without it rather than leave the replica waiting for a node that is down,
    /// or, when no peer answered yet, starts over with whoever is reachable next.
    /// </summary>
    private void DropUnreachablePeers()
    {
        var topology = _options.Topology.Current;
        var gone = _streams.Where(s => !topology.IsReachable(s.Value.Peer)).Select(s => s.Key).ToArray();
        if (gone.Length == 0) return;
        if (_fromEveryPeer)
        {
            GiveUp($"{string.Join(", ", gone.Select(id => _streams[id].Peer).Distinct())} became unreachable");
            return;
        }
        foreach (var id in gone) _streams.Remove(id);
        if (_streams.Count == 0 && !_peersChecked)
        {
            // Nobody answered before going out of reach: ask again once somebody is back.
            Timers.Cancel(CheckReachability.Instance);
            Timers.Cancel(AskAgain.Instance);
            Timers.StartSingleTimer(Begin.Instance, Begin.Instance, MembershipPoll);
            return;
        }
        TellWhenPeersChecked();
        CompleteWhenDone();
    }

    private void WaitForMembership(string why)
    {
        if (DateTime.UtcNow < _membershipDeadline) Timers.StartSingleTimer(Begin.Instance, Begin.Instance, MembershipPoll);
        else GiveUp(why);
    }

    // The first peer's word is enough to vote on: waiting for all would leave the replica without a vote whenever one
    // peer is slow or down. A peer that answers later and knew another epoch here still takes the vote away.
    private void TellWhenPeersChecked()
    {
        if (_peersChecked || !_streams.Values.Any(s => s.Answered)) return;
        _peersChecked = true;
        Context.Parent.Tell(PeersChecked.Instance);
    }

    private void CompleteWhenDone()
    {
        if (_streams.Count > 0) return;
        if (!_peersChecked) Context.Parent.Tell(PeersChecked.Instance); // nobody to ask: nobody knew another epoch
        Context.Parent.Tell(Completed.Instance);
        Context.Stop(Self);
    }

    private void GiveUp(string why)
    {
        _log.Info("Sync of partition {0} with its peers gave up and is tried again later: {1}", _options.Partition, why);
        Context.Stop(Self);
    }
}
