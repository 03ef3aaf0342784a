using LeaderlessActors.Membership;
using Akka.Actor;
using Akka.Event;

namespace LeaderlessActors.Replication;

/// <summary>
/// Syncs a replica with its peers: asks the other replicas of its partition for their whole state and merges it into
/// the parent replica key by key (as <see cref="MergeKeyState"/>s, so merging stays the replica's one code path). Tells the
/// parent <see cref="Completed"/> once every asked peer's state is durably merged; stops without it when a peer it
/// needs is unreachable or goes quiet, and the parent tries again later.
/// A replica that lost history needs every peer, reachable or not: an acknowledged write it held may survive on one
/// peer alone. One that started without history syncs with the peers it can reach. The decisions are
/// <see cref="ResyncStart{TPeer}"/>'s and <see cref="ResyncState{TPeer,TStreamer}"/>'s; this actor carries them out.
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

    // A peer's next chunk, asked for once the repair throttle's pause is over.
    private sealed record AskNextChunk(long RequestId, IActorRef Streamer) : INotInfluenceReceiveTimeout;

    private static readonly TimeSpan MembershipPoll = TimeSpan.FromMilliseconds(200);

    private readonly ReplicaOptions _options;
    private readonly long _epoch;
    private readonly IReadOnlySet<long> _ownEarlierEpochs;
    private readonly ResyncState<Address, IActorRef> _state;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    // By request: the pause the repair throttle asked for after the chunk being merged, taken before asking the next.
    private readonly Dictionary<long, TimeSpan> _pauses = [];

    public PartitionResync(ReplicaOptions options, bool fromEveryPeer, long epoch, IReadOnlySet<long> ownEarlierEpochs)
    {
        _options = options;
        _epoch = epoch;
        _ownEarlierEpochs = ownEarlierEpochs;
        _state = new ResyncState<Address, IActorRef>(fromEveryPeer, options.Repair, options.Clock);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ReplicaOptions options, bool fromEveryPeer, long epoch, IReadOnlySet<long> ownEarlierEpochs) =>
        Akka.Actor.Props.Create(() => new PartitionResync(options, fromEveryPeer, epoch, ownEarlierEpochs));

    protected override void PreStart() => Self.Tell(Begin.Instance);

    private void Start()
    {
        var topology = _options.Topology.Current;
        var start = ResyncStart<Address>.Plan(ResyncPeers(topology), topology.Ring.ReplicationFactor,
            _options.Node, n => topology.IsReachable(n) && topology.HostOf(n) is not null, _state.FromEveryPeer);
        switch (start)
        {
            case ResyncStart<Address>.WaitForMembership wait:
                WaitForMembership(wait.Why);
                return;
            case ResyncStart<Address>.GiveUp giveUp:
                GiveUp(giveUp.Why);
                return;
            case ResyncStart<Address>.Ask ask:
                foreach (var peer in ask.Peers) Ask(peer, topology.HostOf(peer)!);
                break;
        }
        Context.SetReceiveTimeout(_options.Repair.IdleTimeout);
        Timers.StartPeriodicTimer(CheckReachability.Instance, CheckReachability.Instance, MembershipPoll);
        _state.StartAsking();
        ScheduleAskAgain();
        // With no peer to ask there is nobody to repair from: what this replica holds is all there is.
        CompleteWhenDone();
    }

    /// <summary>Asks <paramref name="peer"/> for its state under a new request id.</summary>
    private void Ask(Address peer, IActorRef host)
    {
        var requestId = RandomIds.Next();
        _state.Asked(requestId, peer);
        host.Tell(new StreamPartition(requestId, _options.Partition, _options.Repair.ChunkBytes, _options.Node, _epoch,
            RequesterFresh: !_state.FromEveryPeer));
    }

    /// <summary>Asks the silent peers again (see <see cref="ResyncState{TPeer,TStreamer}.BackOff"/>), then again later
    /// while any stays silent.</summary>
    private void AskSilentPeersAgain()
    {
        if (AskSilentPeers() == 0) return;
        _state.BackOff();
        ScheduleAskAgain();
    }

    private void ScheduleAskAgain() => Timers.StartSingleTimer(AskAgain.Instance, AskAgain.Instance, _state.AskAgainAfter);

    /// <summary>Asks every reachable peer that has not answered yet again; returns how many peers are silent.</summary>
    private int AskSilentPeers()
    {
        var topology = _options.Topology.Current;
        var silent = _state.SilentPeers(ResyncPeers(topology).Where(n => n != _options.Node));
        foreach (var peer in silent)
            if (topology.IsReachable(peer) && topology.HostOf(peer) is { } host) Ask(peer, host);
        return silent.Length;
    }

    /// <summary>The partition's owners and, while it moves, every earlier owner: a new owner needs all of them, and any
    /// other repair loses nothing by asking them too.</summary>
    private IReadOnlyList<Address> ResyncPeers(Membership.TopologySnapshot topology)
    {
        var owners = topology.Ring.PreferenceList(_options.Partition);
        return topology.History.MoveOf(_options.Partition) is { } move ? owners.Union(move.Sources).ToArray() : owners;
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
            case AskNow when _state.MayAskNow:
                AskSilentPeers();
                ScheduleAskAgain(); // not again right after
                break;
            case AskNow:
                break;
            case PartitionChunk c when _state.ChunkReceived(c.RequestId, c.Node, c.Keys.Length, c.Last, Sender):
                Chunk(c);
                break;
            case KeyStored s when _state.KeyStored(s.RequestId):
                ChunkProgress(s.RequestId);
                break;
            case AskNextChunk next:
                next.Streamer.Tell(new PartitionChunkStored(next.RequestId));
                break;
            case ReplicaFailed f:
                GiveUp($"merging failed: {f.Message}"); // the replica's storage failed; it restarts
                break;
            case PartitionChunk:
                break; // the answer to a request that another request to the same peer overtook
            case ReceiveTimeout:
                GiveUp($"no chunk from {string.Join(", ", _state.PendingPeers)} for {_options.Repair.IdleTimeout}");
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Chunk(PartitionChunk c)
    {
        // A peer that knew one of this replica's own earlier epochs here saw nothing but this replica, which renewed its
        // epoch after an unclean stop before its first check finished; only an epoch not its own means lost storage.
        if (c.EarlierEpoch != 0 && !_state.FromEveryPeer && !_ownEarlierEpochs.Contains(c.EarlierEpoch))
        {
            Context.Parent.Tell(new Replaced(c.Node, c.EarlierEpoch));
            Context.Stop(Self);
            return;
        }
        foreach (var (key, state) in c.Keys) Context.Parent.Tell(new MergeKeyState(c.RequestId, _options.Partition, key, state));
        if (!c.Last && _options.Throttle is { } throttle)
            _pauses[c.RequestId] = throttle.Reserve(c.Keys.Sum(kv => Versioning.KeyStateSize.Of(kv.Key, kv.Value)));
        _options.Metrics.ResyncKeysReceived(c.Keys.Length);
        TellWhenPeersChecked();
        ChunkProgress(c.RequestId);
    }

    private void ChunkProgress(long requestId)
    {
        var (stored, askNext) = _state.ChunkProgress(requestId);
        if (!stored) return;
        if (askNext is not null)
        {
            // Background repair shares one rate with anti-entropy, so a join or a restart does not crowd out client requests.
            var pause = _pauses.Remove(requestId, out var p) ? p : TimeSpan.Zero;
            if (pause <= TimeSpan.Zero) askNext.Tell(new PartitionChunkStored(requestId));
            else Timers.StartSingleTimer(("next", requestId), new AskNextChunk(requestId, askNext), pause);
        }
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
        var gone = _state.DropUnreachable(topology.IsReachable);
        if (gone.Length == 0) return;
        if (_state.FromEveryPeer)
        {
            GiveUp($"{string.Join(", ", gone)} became unreachable");
            return;
        }
        if (_state.Done && !_state.PeersChecked)
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
        if (_state.MayWaitForMembership) Timers.StartSingleTimer(Begin.Instance, Begin.Instance, MembershipPoll);
        else GiveUp(why);
    }

    // The first peer's word is enough to vote on: waiting for all would leave the replica without a vote whenever one
    // peer is slow or down. A peer that answers later and knew another epoch here still takes the vote away.
    private void TellWhenPeersChecked()
    {
        if (_state.TellPeersChecked()) Context.Parent.Tell(PeersChecked.Instance);
    }

    private void CompleteWhenDone()
    {
        if (!_state.Done) return;
        TellWhenPeersChecked(); // nobody to ask: nobody knew another epoch
        Context.Parent.Tell(Completed.Instance);
        Context.Stop(Self);
    }

    private void GiveUp(string why)
    {
        _log.Info("Sync of partition {0} with its peers gave up and is tried again later: {1}", _options.Partition, why);
        Context.Stop(Self);
    }
}
