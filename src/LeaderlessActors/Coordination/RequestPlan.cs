using LeaderlessActors.Membership;
using Akka.Actor;
using LeaderlessActors.Partitioning;

namespace LeaderlessActors.Coordination;

/// <summary>
/// Where one request goes: the reachable primaries of its key's partition and how many must answer. While the partition
/// moves (its owners changed and not every new owner is filled yet) the owners of every earlier owner set of the move are
/// targets too, and <see cref="Groups"/> lists the owner sets the required number is counted in (see
/// <see cref="QuorumRule"/>); otherwise the primaries are the one group.
/// </summary>
internal sealed record RequestPlan(
    long RequestId,
    string Key,
    int Partition,
    IReadOnlyList<Address> Primaries,
    IReadOnlyList<(Address Node, IActorRef Host)> Targets,
    IReadOnlyList<Address> Unreachable,
    int Required,
    TimeSpan Timeout)
{
    /// <summary>The owner sets (all members, reachable or not) a quorum is counted in: the primaries first.</summary>
    public IReadOnlyList<IReadOnlyList<Address>> Groups { get; init; } = [Primaries];

    public IReadOnlyList<Address> TargetNodes => Targets.Select(t => t.Node).ToArray();

    /// <summary>The nodes that stand in for unreachable owners in a sloppy write (see <see cref="FallbackSelection"/>), with
    /// their hint stores; empty for strict requests.</summary>
    public IReadOnlyList<Fallback> Fallbacks { get; init; } = [];

    /// <summary>The distinct nodes whose acknowledgements count toward W: reachable owners, then fallbacks.</summary>
    public IReadOnlyList<Address> WriteVoters => Fallbacks.Count == 0 ? TargetNodes : [.. TargetNodes, .. Fallbacks.Select(f => f.Node)];

    /// <summary>The owner sets W is counted in: <see cref="Groups"/>, with the fallbacks of a sloppy write counting in the
    /// current owner set (the one they stand in for).</summary>
    public IReadOnlyList<IReadOnlyList<Address>> WriteGroups => Fallbacks.Count == 0
        ? Groups
        : [[.. Groups[0], .. Fallbacks.Select(f => f.Node)], .. Groups.Skip(1)];

    /// <summary>The plan for <paramref name="key"/>, or the reason no quorum is possible right now. With
    /// <paramref name="rule"/> (reads and writes) a moving partition's earlier owners are targets too; without (inspection),
    /// only the primaries are. A <paramref name="sloppy"/> plan adds fallbacks for unreachable primaries, whose hint stores
    /// <paramref name="hintStoreOf"/> resolves. Replicas answer to <paramref name="replies"/> (see <see cref="Replies"/>).</summary>
    public static RequestPlan Create(TopologySnapshot topology, long requestId, string key, int partition, int required, TimeSpan timeout,
        QuorumRule? rule = null, bool sloppy = false, Func<Address, IActorRef>? hintStoreOf = null, ReplyEndpoint? replies = null)
    {
        var targets = new List<(Address, IActorRef)>();
        var unreachable = new List<Address>();
        var primaries = topology.Ring.PreferenceList(partition);
        var groups = rule is null ? [primaries] : OwnerSets(topology, partition, primaries, required);
        foreach (var node in groups.SelectMany(g => g).Distinct())
        {
            if (topology.IsReachable(node) && topology.HostOf(node) is { } host) targets.Add((node, host));
            else unreachable.Add(node);
        }
        // Connected targets first: a write's coordinating replica is the first target when this node holds none.
        if (topology.Disconnected.Count > 0)
            targets = [.. targets.Where(t => !topology.Disconnected.Contains(t.Item1)), .. targets.Where(t => topology.Disconnected.Contains(t.Item1))];
        var move = rule is null ? null : topology.History.MoveOf(partition);
        var plan = new RequestPlan(requestId, key, partition, primaries, targets, unreachable, required, timeout)
        {
            Groups = groups,
            Rule = rule ?? QuorumRule.AnyGroup,
            Filling = move is null ? [] : move.Pending.Where(n => !move.Filled.Contains(n)).ToHashSet(),
            HistoryKnown = rule is null || topology.HistoryKnown,
            Replies = replies,
        };
        var unreachablePrimaries = unreachable.Where(primaries.Contains).ToArray();
        if (!sloppy || unreachablePrimaries.Length == 0 || hintStoreOf is null) return plan;
        var targetNodes = plan.TargetNodes;
        var fallbacks = FallbackSelection.Choose(topology.Ring.ClockwiseFrom(partition), primaries, unreachablePrimaries,
            node => topology.IsReachable(node) && topology.HostOf(node) is not null && !targetNodes.Contains(node));
        return plan with { Fallbacks = fallbacks.Select(f => new Fallback(f.Node, hintStoreOf(f.Node), f.StandsFor)).ToArray() };
    }

    /// <summary>How the required number is counted over <see cref="Groups"/>.</summary>
    public QuorumRule Rule { get; init; } = QuorumRule.AnyGroup;

    /// <summary>New owners this node does not know to be filled: their answers do not count toward R, whatever they say
    /// (one that restarted may not know yet that it is a new owner).</summary>
    public IReadOnlySet<Address> Filling { get; init; } = new HashSet<Address>();

    /// <summary>Whether this node knows the partitions' moves (see <see cref="TopologySnapshot.HistoryKnown"/>).</summary>
    public bool HistoryKnown { get; init; } = true;

    /// <summary>Where replicas answer this request's commands: the node's <see cref="ReplyEndpoint"/>, which hands each
    /// answer to the coordinator by <see cref="RequestId"/>; null to have them answer the coordinator itself.</summary>
    public ReplyEndpoint? Replies { get; init; }

    /// <summary>The request's span context, which the coordinator's replica spans are children of; default when the
    /// request is not traced (see <see cref="Diagnostics.StoreTracing"/>).</summary>
    public System.Diagnostics.ActivityContext Trace { get; init; }

    /// <summary>True when enough replicas are reachable to try: in every owner set for a write, in one for a read. A sloppy
    /// write also counts its fallbacks in the current owner set, but still needs one reachable owner to make its version.</summary>
    public bool IsFeasible => HistoryKnown && (Fallbacks.Count == 0 || Targets.Count > 0) && new QuorumTally(WriteVoters, Required, WriteGroups, Rule).CanStillBeMet;

    public QuorumNotReachedException Infeasible(StoreOperation operation, int replicationFactor, int members) =>
        new(operation, Key, Required, [], Unreachable.Select(a => a.ToString()).ToArray(),
            !HistoryKnown
                ? "this node joined or restarted moments ago and is still learning from its peers which partitions are moving " +
                  "to new owners (leaderless.handoff.history-wait)"
                : members < Required
                ? $"the cluster has {members} member(s) up and a quorum counts distinct nodes (replication-factor {replicationFactor})"
                : Groups.Count > 1
                    ? $"the partition is moving to new owners: {Targets.Count} of {Targets.Count + Unreachable.Count} replicas of its " +
                      $"{Groups.Count} owner sets are reachable, and a {(Rule == QuorumRule.EveryGroup ? "write needs the quorum in every set" : "read needs it in one")}"
                    : $"only {Targets.Count} of {Targets.Count + Unreachable.Count} replicas are reachable" +
                      (Fallbacks.Count > 0 ? $" and {Fallbacks.Count} fallback node(s) can stand in" : ""));

    // The current owners, then each earlier owner set of a move that can still hold a quorum (one that lost members to
    // removals below the required number cannot, and counting in it would refuse every write).
    private static IReadOnlyList<IReadOnlyList<Address>> OwnerSets(TopologySnapshot topology, int partition, IReadOnlyList<Address> primaries,
        int required)
    {
        if (topology.History.MoveOf(partition) is not { } move || !move.IsFor(primaries)) return [primaries];
        var sets = new List<IReadOnlyList<Address>> { primaries };
        sets.AddRange(move.Earlier.Where(set => set.Count >= required).Select(set => (IReadOnlyList<Address>)set.OrderBy(a => a.ToString(), StringComparer.Ordinal).ToArray()));
        return sets;
    }
}

/// <summary>A node that stands in for the unreachable owner <paramref name="StandsFor"/> in a sloppy write: its hint store
/// keeps the write for that owner, and its acknowledgement counts toward W.</summary>
internal sealed record Fallback(Address Node, IActorRef HintStore, Address StandsFor);
