namespace LeaderlessActors.Replication;

/// <summary>
/// How a resync begins, decided from the ring alone (<see cref="Plan"/>): wait for the membership, give up for now, or
/// ask these peers. Pure, so <see cref="PartitionResync"/> only carries it out.
/// </summary>
internal abstract record ResyncStart<TPeer>
{
    /// <summary>The ring does not hold what the sync needs yet: look again shortly, until the membership deadline.</summary>
    public sealed record WaitForMembership(string Why) : ResyncStart<TPeer>;

    /// <summary>A peer the sync needs is out of reach: stop, and let the replica try again later.</summary>
    public sealed record GiveUp(string Why) : ResyncStart<TPeer>;

    /// <summary>Ask <paramref name="Peers"/> (possibly none: then nobody is there to repair from, and the sync is done).</summary>
    public sealed record Ask(IReadOnlyList<TPeer> Peers) : ResyncStart<TPeer>;

    /// <param name="replicas">The partition's preference list, this node included.</param>
    /// <param name="replicationFactor">How many replicas the partition has when the ring is complete.</param>
    /// <param name="self">This node.</param>
    /// <param name="reachable">Whether a peer can be asked now.</param>
    /// <param name="fromEveryPeer">Whether the sync needs every peer (lost history) or the reachable ones.</param>
    public static ResyncStart<TPeer> Plan(IReadOnlyList<TPeer> replicas, int replicationFactor, TPeer self, Func<TPeer, bool> reachable,
        bool fromEveryPeer)
    {
        // Until this node has seen the membership it does not know its peers; and a sync with every peer needs them all
        // in the ring (a node forming a cluster alone after a restart would otherwise find nobody and call it done).
        if (replicas.Count == 0 || (fromEveryPeer && replicas.Count < replicationFactor))
            return new WaitForMembership($"the ring holds {replicas.Count} of its {replicationFactor} replicas");
        var peers = replicas.Where(n => !EqualityComparer<TPeer>.Default.Equals(n, self)).ToArray();
        var unreachable = peers.Where(p => !reachable(p)).ToArray();
        // A sync with every peer needs them all. One with the reachable peers needs at least one when there are peers, or
        // a replica that finds everyone out of reach would count as checked without having asked anybody; it watches for
        // one to come back rather than wait for a retry, as its reads wait for the check.
        if (unreachable.Length > 0 && fromEveryPeer) return new GiveUp($"{string.Join(", ", unreachable)} unreachable");
        if (peers.Length > 0 && unreachable.Length == peers.Length) return new WaitForMembership($"{string.Join(", ", unreachable)} unreachable");
        return new Ask(peers.Except(unreachable).ToArray());
    }
}
