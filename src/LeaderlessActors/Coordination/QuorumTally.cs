using Akka.Actor;

namespace LeaderlessActors.Coordination;

/// <summary>
/// Counts answers from the distinct replicas a request targets: which succeeded, which failed, whether the required
/// number is met or can no longer be. Answers from nodes that are not targets, and repeated answers, are ignored, so a
/// quorum always means that many distinct nodes.
/// </summary>
internal sealed class QuorumTally
{
    private readonly HashSet<Address> _succeeded = [];
    private readonly HashSet<Address> _failed = [];

    public QuorumTally(IReadOnlyList<Address> targets, int required)
    {
        Targets = targets;
        Required = required;
    }

    public IReadOnlyList<Address> Targets { get; }

    public int Required { get; }

    public int Succeeded => _succeeded.Count;

    public bool IsMet => _succeeded.Count >= Required;

    public bool CanStillBeMet => Targets.Count - _failed.Count >= Required;

    /// <summary>Targets that have neither succeeded nor failed yet.</summary>
    public int Unanswered => Targets.Count - _succeeded.Count - _failed.Count;

    public bool AllAnswered => _succeeded.Count + _failed.Count == Targets.Count;

    /// <summary>Records a success; false when the node is not a target or has already answered.</summary>
    public bool Succeed(Address node) => IsPending(node) && _succeeded.Add(node);

    /// <summary>Records a failure; false when the node is not a target or has already answered.</summary>
    public bool Fail(Address node) => IsPending(node) && _failed.Add(node);

    public bool HasSucceeded(Address node) => _succeeded.Contains(node);

    public IReadOnlyList<string> SucceededNodes() => Targets.Where(_succeeded.Contains).Select(a => a.ToString()).ToArray();

    public IReadOnlyList<string> MissingNodes() => Targets.Where(t => !_succeeded.Contains(t)).Select(a => a.ToString()).ToArray();

    private bool IsPending(Address node) => !_succeeded.Contains(node) && !_failed.Contains(node) && Targets.Contains(node);
}
