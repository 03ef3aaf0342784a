using Akka.Actor;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Coordination;

/// <summary>
/// The pure state of a quorum read: the states replicas answered with, their merge, and which of them are stale
/// (missing something another replica has) and so need repair.
/// </summary>
internal sealed class ReadQuorum(IReadOnlyList<Address> targets, int required, IReadOnlyList<IReadOnlyList<Address>>? groups = null)
{
    private readonly Dictionary<Address, SiblingSet> _states = [];
    private readonly List<Address> _nonVoting = [];

    public QuorumTally Tally { get; } = new(targets, required, groups);

    /// <summary>The merge of every state answered so far.</summary>
    public SiblingSet Merged { get; private set; } = SiblingSet.Empty;

    /// <summary>Replicas that answered but needed repair, so did not count toward R.</summary>
    public IReadOnlyList<Address> NonVoting => _nonVoting;

    /// <summary>
    /// Records an answer. One that does not <paramref name="vote"/> (the replica lost history) counts as a failure toward
    /// R, but its state is merged and it is repaired like any other.
    /// </summary>
    public bool Record(Address node, SiblingSet state, bool vote = true)
    {
        if (!(vote ? Tally.Succeed(node) : Tally.Fail(node))) return false;
        if (!vote) _nonVoting.Add(node);
        _states[node] = state;
        Merged = Merged.Merge(state);
        return true;
    }

    public bool RecordFailure(Address node) => Tally.Fail(node);

    /// <summary>A repair with <paramref name="sent"/> was acknowledged: the replica now holds at least that.</summary>
    public void Repaired(Address node, SiblingSet sent)
    {
        if (_states.TryGetValue(node, out var state)) _states[node] = state.Merge(sent);
    }

    /// <summary>How many voting replicas are known to hold <paramref name="answer"/>: they answered with it or more, or
    /// acknowledged a repair that brought it.</summary>
    public int Holding(SiblingSet answer) => Tally.Groups.Max(g => HoldingIn(g, answer));

    /// <summary>Whether the answer is held by the required number of voting replicas of one owner set.</summary>
    public bool IsHeld(SiblingSet answer) => Tally.Holds(g => HoldingIn(g, answer) >= Tally.Required);

    /// <summary>Whether some owner set can still come to hold the answer on the required number of voters: those holding it,
    /// those whose repair is under way (<paramref name="repairing"/>) and those that have not answered yet.</summary>
    public bool MayStillBeHeld(SiblingSet answer, IReadOnlyCollection<Address> repairing) => Tally.Holds(g =>
        HoldingIn(g, answer) + g.Count(n => repairing.Contains(n) && Tally.HasSucceeded(n)) + g.Count(Tally.IsUnanswered) >= Tally.Required);

    /// <summary>Whether <paramref name="node"/> voted and is known to hold <paramref name="answer"/>.</summary>
    public bool Holds(Address node, SiblingSet answer) =>
        Tally.HasSucceeded(node) && _states.TryGetValue(node, out var state) && state.Descends(answer);

    private int HoldingIn(IReadOnlyList<Address> group, SiblingSet answer) => group.Count(n => Holds(n, answer));

    /// <summary>The replicas that answered with a state that lacks part of <see cref="Merged"/>.</summary>
    public IReadOnlyList<Address> StaleReplicas() =>
        _states.Where(kv => !kv.Value.Descends(Merged)).Select(kv => kv.Key).ToArray();
}
