using Akka.Actor;

namespace LeaderlessActors.Coordination;

/// <summary>
/// Counts answers from the distinct replicas a request targets: which succeeded, which failed, whether the required
/// number is met or can no longer be. Answers from nodes that are not targets, and repeated answers, are ignored, so a
/// quorum always means that many distinct nodes. While a partition moves, the targets form several owner sets
/// (<see cref="Groups"/>): a write needs the required number in every one of them, a read in any one
/// (<see cref="QuorumRule"/>); otherwise the targets are the one group.
/// </summary>
internal sealed class QuorumTally
{
    private readonly HashSet<Address> _succeeded = [];
    private readonly HashSet<Address> _failed = [];
    private readonly QuorumRule _rule;

    public QuorumTally(IReadOnlyList<Address> targets, int required, IReadOnlyList<IReadOnlyList<Address>>? groups = null,
        QuorumRule rule = QuorumRule.AnyGroup)
    {
        Targets = targets;
        Required = required;
        _rule = rule;
        // Only targets can answer: a group's unreachable owners count as neither answered nor still to come.
        Groups = (groups ?? [targets]).Select(g => (IReadOnlyList<Address>)g.Where(targets.Contains).ToArray()).ToArray();
    }

    public IReadOnlyList<Address> Targets { get; }

    /// <summary>The owner sets the required number is counted in, each limited to the targets.</summary>
    public IReadOnlyList<IReadOnlyList<Address>> Groups { get; }

    public int Required { get; }

    public int Succeeded => _succeeded.Count;

    public bool IsMet => Holds(g => g.Count(_succeeded.Contains) >= Required);

    public bool CanStillBeMet => Holds(g => g.Count - g.Count(_failed.Contains) >= Required);

    /// <summary>Targets that have neither succeeded nor failed yet.</summary>
    public int Unanswered => Targets.Count - _succeeded.Count - _failed.Count;

    public bool AllAnswered => _succeeded.Count + _failed.Count == Targets.Count;

    /// <summary>Records a success; false when the node is not a target or has already answered.</summary>
    public bool Succeed(Address node) => IsPending(node) && _succeeded.Add(node);

    /// <summary>Records a failure; false when the node is not a target or has already answered.</summary>
    public bool Fail(Address node) => IsPending(node) && _failed.Add(node);

    public bool HasSucceeded(Address node) => _succeeded.Contains(node);

    /// <summary>Whether <paramref name="node"/> has neither succeeded nor failed yet.</summary>
    public bool IsUnanswered(Address node) => IsPending(node);

    /// <summary>Whether <paramref name="condition"/> holds for the groups as the rule requires: every one or any one.</summary>
    public bool Holds(Func<IReadOnlyList<Address>, bool> condition) =>
        _rule == QuorumRule.EveryGroup ? Groups.All(condition) : Groups.Any(condition);

    public IReadOnlyList<string> SucceededNodes() => Targets.Where(_succeeded.Contains).Select(a => a.ToString()).ToArray();

    public IReadOnlyList<string> MissingNodes() => Targets.Where(t => !_succeeded.Contains(t)).Select(a => a.ToString()).ToArray();

    private bool IsPending(Address node) => !_succeeded.Contains(node) && !_failed.Contains(node) && Targets.Contains(node);
}

/// <summary>How a request's required number is counted over the owner sets of a moving partition.</summary>
internal enum QuorumRule
{
    /// <summary>Reads: the required number of voting replicas in any one owner set. Each set holds every acknowledged
    /// write on a quorum of its members (writes count in every set), and a filling owner does not vote.</summary>
    AnyGroup,
    /// <summary>Writes: the required number in every owner set, the current one and each earlier one of a move.</summary>
    EveryGroup,
}
