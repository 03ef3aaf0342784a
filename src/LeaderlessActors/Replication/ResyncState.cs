namespace LeaderlessActors.Replication;

/// <summary>
/// The progress of one resync, without messaging: the requests out to each peer, the chunks they answered and how many
/// of their keys are not yet stored, whether a peer's word has come, and when to ask silent peers again. Time comes from
/// the injected clock, so the spacing of asks is testable without waiting. <typeparamref name="TPeer"/> identifies a
/// node and <typeparamref name="TStreamer"/> who streams a peer's state.
/// </summary>
internal sealed class ResyncState<TPeer, TStreamer> where TPeer : notnull where TStreamer : class
{
    /// <summary>One peer's stream: who sends it, how many keys of its current chunk are not yet stored, whether that
    /// chunk is its last.</summary>
    private readonly record struct Stream(TPeer Peer, TStreamer? Streamer, int Unstored, bool Last, bool Answered = false);

    private readonly RepairSettings _settings;
    private readonly TimeProvider _clock;
    private readonly DateTimeOffset _membershipDeadline;
    // Each request under its own id; a peer asked again has several until one is answered, then that one alone.
    private readonly Dictionary<long, Stream> _streams = [];
    private DateTimeOffset _lastAsked = DateTimeOffset.MinValue;

    public ResyncState(bool fromEveryPeer, RepairSettings settings, TimeProvider clock)
    {
        FromEveryPeer = fromEveryPeer;
        _settings = settings;
        _clock = clock;
        _membershipDeadline = clock.GetUtcNow() + settings.IdleTimeout;
        AskAgainAfter = settings.AskAgainAfter;
    }

    /// <summary>Whether the sync needs every peer (lost history) or the reachable ones (started without history).</summary>
    public bool FromEveryPeer { get; }

    /// <summary>Whether a peer has answered (or there was nobody to ask), and the replica was told so.</summary>
    public bool PeersChecked { get; private set; }

    /// <summary>How long after the last ask silent peers are asked again.</summary>
    public TimeSpan AskAgainAfter { get; private set; }

    /// <summary>Every asked peer's state is stored: the sync is complete.</summary>
    public bool Done => _streams.Count == 0;

    /// <summary>Until the membership deadline, a sync that finds the ring incomplete waits for it rather than give up.</summary>
    public bool MayWaitForMembership => _clock.GetUtcNow() < _membershipDeadline;

    /// <summary>A read waits for the peers' word: silent peers may be asked again now unless they were asked less than
    /// resync-ask-again-after ago.</summary>
    public bool MayAskNow => _clock.GetUtcNow() - _lastAsked >= _settings.AskAgainAfter;

    /// <summary>The peers with a request still open.</summary>
    public IEnumerable<TPeer> PendingPeers => _streams.Values.Select(s => s.Peer).Distinct();

    /// <summary>Asking starts (again): silent peers are asked again after resync-ask-again-after at first.</summary>
    public void StartAsking() => AskAgainAfter = _settings.AskAgainAfter;

    /// <summary><paramref name="peer"/> was asked under <paramref name="requestId"/>.</summary>
    public void Asked(long requestId, TPeer peer)
    {
        _streams[requestId] = new Stream(peer, null, 0, false);
        _lastAsked = _clock.GetUtcNow();
    }

    /// <summary>
    /// The peers to ask again: those that have not answered, and, until a peer answered (so none has finished), every
    /// one of <paramref name="ringPeers"/> (one dropped as unreachable, or out of reach at the start, may be back).
    /// </summary>
    public TPeer[] SilentPeers(IEnumerable<TPeer> ringPeers)
    {
        var pending = _streams.Values.GroupBy(s => s.Peer).Where(g => !g.Any(s => s.Answered)).Select(g => g.Key);
        if (!PeersChecked) pending = pending.Union(ringPeers);
        return pending.ToArray();
    }

    /// <summary>
    /// Peers answer a request at once; one that has not answered after a while may have lost the request or its answer
    /// (a cut link drops messages without the sender noticing): it is asked again, at intervals doubling up to the retry
    /// interval, as a peer that is only slow (a big partition, a busy node) is asked for its whole state each time, while
    /// one that comes back after a cut should be asked soon.
    /// </summary>
    public void BackOff()
    {
        var doubled = Math.Min(AskAgainAfter.Ticks * 2, _settings.RetryInterval.Ticks);
        AskAgainAfter = TimeSpan.FromTicks(Math.Max(doubled, _settings.AskAgainAfter.Ticks));
    }

    /// <summary>
    /// A chunk of <paramref name="keys"/> keys came from <paramref name="peer"/> under <paramref name="requestId"/>,
    /// sent by <paramref name="streamer"/>: false when it answers no request of that peer (one that another request to
    /// the same peer overtook). Every request stays valid until the peer's first answer; then its others are forgotten
    /// (their answers are ignored; their streamers stop when nobody acknowledges a chunk).
    /// </summary>
    public bool ChunkReceived(long requestId, TPeer peer, int keys, bool last, TStreamer streamer)
    {
        if (!_streams.TryGetValue(requestId, out var stream) || !EqualityComparer<TPeer>.Default.Equals(stream.Peer, peer)) return false;
        if (!stream.Answered)
            foreach (var other in _streams.Where(s => s.Key != requestId && EqualityComparer<TPeer>.Default.Equals(s.Value.Peer, peer)).Select(s => s.Key).ToArray())
                _streams.Remove(other);
        _streams[requestId] = new Stream(peer, streamer, keys, last, Answered: true);
        return true;
    }

    /// <summary>One key of request <paramref name="requestId"/>'s chunk is stored; false for a request it does not know.</summary>
    public bool KeyStored(long requestId)
    {
        if (!_streams.TryGetValue(requestId, out var stream)) return false;
        _streams[requestId] = stream with { Unstored = stream.Unstored - 1 };
        return true;
    }

    /// <summary>
    /// Whether request <paramref name="requestId"/>'s current chunk is all stored: then, unless it was the last (the
    /// request is over), returns its streamer, to be asked for the next chunk.
    /// </summary>
    public (bool ChunkStored, TStreamer? AskNext) ChunkProgress(long requestId)
    {
        var stream = _streams[requestId];
        if (stream.Unstored > 0) return (false, null);
        if (!stream.Last) return (true, stream.Streamer);
        _streams.Remove(requestId);
        return (true, null);
    }

    /// <summary>True once, the first time a peer has answered or nobody is left to ask: the replica is to be told.</summary>
    public bool TellPeersChecked()
    {
        if (PeersChecked || (!Done && !_streams.Values.Any(s => s.Answered))) return false;
        PeersChecked = true;
        return true;
    }

    /// <summary>
    /// Forgets the requests to peers that are out of reach now; returns those peers. A sync with every peer gives up
    /// on any (and tries again later), so it forgets nothing.
    /// </summary>
    public TPeer[] DropUnreachable(Func<TPeer, bool> reachable)
    {
        var gone = _streams.Where(s => !reachable(s.Value.Peer)).ToArray();
        if (!FromEveryPeer)
            foreach (var (requestId, _) in gone) _streams.Remove(requestId);
        return gone.Select(s => s.Value.Peer).Distinct().ToArray();
    }
}
