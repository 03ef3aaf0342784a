using Akka.Actor;
using LeaderlessActors.Diagnostics;
using LeaderlessActors.Replication;

namespace LeaderlessActors.Coordination;

/// <summary>
/// Coordinates one read: asks every reachable replica of the key, and once R have answered merges their states. Stale
/// replicas among those R are repaired before the reply, and the reply waits until R voting replicas hold the answer, so
/// a value once returned by a quorum read is on a quorum (monotonic reads). A blocking repair that fails is made up for by
/// a replica that answers later (it holds the answer, or is repaired too); when too few are left, or the deadline comes
/// first, the read fails with the quorum details instead of answering. Replicas that answer after the reply are repaired
/// then. The actor stops when every replica has answered and every repair is acknowledged, or when the settle window
/// (leaderless.settle-window) after the reply closes.
/// </summary>
internal sealed class ReadCoordinator : Coordinator
{
    private readonly RequestPlan _plan;
    private readonly Guid _correlationId;
    private readonly IActorRef _replyTo;
    private readonly TimeSpan _settleWindow;
    private readonly ReadQuorum _quorum;
    private readonly StoreMetrics _metrics;
    private readonly Dictionary<Address, Versioning.SiblingSet> _repairsPending = [];
    private readonly HashSet<Address> _repairsFailed = [];
    // The merge of the first R answers: the blocking repairs put exactly this on all R, so it is what the reply carries.
    // News in answers that arrive meanwhile is on fewer replicas; returning it would break monotonic reads.
    private Versioning.SiblingSet? _answer;
    private bool _replied;
    private readonly ReplicaSpans? _spans;

    public ReadCoordinator(RequestPlan plan, Guid correlationId, IActorRef replyTo, TimeSpan settleWindow, StoreMetrics metrics)
    {
        _metrics = metrics;
        _plan = plan;
        _correlationId = correlationId;
        _replyTo = replyTo;
        _settleWindow = settleWindow;
        _quorum = new ReadQuorum(plan.TargetNodes, plan.Required, plan.Groups);
        _spans = ReplicaSpans.For(plan);
    }

    public static Props Props(RequestPlan plan, Guid correlationId, IActorRef replyTo, TimeSpan settleWindow, StoreMetrics metrics) =>
        PropsOf(() => new ReadCoordinator(plan, correlationId, replyTo, settleWindow, metrics));

    protected override void PreStart()
    {
        foreach (var (node, host) in _plan.Targets)
        {
            host.Tell(new ReadKey(_plan.RequestId, _plan.Partition, _plan.Key));
            _spans?.Sent(node, ReplicaSpans.Read);
        }
        DeadlineIn(_plan.Timeout);
    }

    protected override void PostStop()
    {
        base.PostStop();
        _spans?.Unanswered();
    }

    protected override void OnReceive(object message)
    {
        _spans?.Received(message);
        switch (message)
        {
            case KeyRead r when r.RequestId == _plan.RequestId:
                if (_quorum.Record(r.Node, r.State, vote: !r.NeedsRepair && !_plan.Filling.Contains(r.Node))) OnAnswer();
                break;
            case KeyStored s when s.RequestId == _plan.RequestId:
                OnRepairDone(s.Node, failed: false);
                break;
            case ReplicaFailed f when f.RequestId == _plan.RequestId:
                if (!_repairsPending.ContainsKey(f.Node) && _quorum.RecordFailure(f.Node)) OnAnswer();
                else OnRepairDone(f.Node, failed: true);
                break;
            case Deadline when !_replied && _answer is not null:
                // Answering now could return a value on fewer than R replicas, which a following read might not see.
                Fail($"timed out after {_plan.Timeout.TotalMilliseconds:0} ms: the answer is on {_quorum.Holding(_answer)} of " +
                     $"{_plan.Required} replicas{RepairsNote()}");
                break;
            case Deadline when !_replied:
                Fail($"timed out after {_plan.Timeout.TotalMilliseconds:0} ms");
                break;
            case Deadline:
                Context.Stop(Self);
                break;
        }
    }

    private void OnAnswer()
    {
        if (!_replied && _answer is null && _quorum.Tally.IsMet)
        {
            // First time R answers are in: repair the stale ones among them before replying.
            _answer = _quorum.Merged;
            Repair();
            ReplyOnceHeld();
        }
        else if (_answer is not null)
        {
            Repair(); // a late answer: repair it (or, if it brought news, the others); before the reply it may stand in
            if (!_replied) ReplyOnceHeld(); // for a replica whose repair failed
        }
        else if (!_quorum.Tally.CanStillBeMet)
        {
            Fail(_quorum.NonVoting.Count == 0
                ? "replicas failed"
                : $"replicas failed; {string.Join(", ", _quorum.NonVoting)} need repair (they lost their history, or have not yet checked with their peers) and do not count toward R");
            return;
        }
        StopWhenSettled();
    }

    /// <summary>Replies once R voting replicas hold the answer; fails when too few can still come to hold it.</summary>
    private void ReplyOnceHeld()
    {
        if (_replied) return;
        if (_quorum.IsHeld(_answer!)) Reply();
        else if (!_quorum.MayStillBeHeld(_answer!, _repairsPending.Keys))
            Fail($"the answer is on {_quorum.Holding(_answer!)} of {_plan.Required} replicas and no other can take it{RepairsNote()}");
    }

    private string RepairsNote() =>
        (_repairsFailed.Count > 0 ? $"; blocking repairs failed on {string.Join(", ", _repairsFailed)}" : "") +
        (_repairsPending.Count > 0 ? $"; repairs unanswered on {string.Join(", ", _repairsPending.Keys)}" : "");

    /// <summary>Sends the merged state to every stale replica not already being repaired.</summary>
    private void Repair()
    {
        foreach (var node in _quorum.StaleReplicas())
        {
            if (_repairsPending.ContainsKey(node) || _repairsFailed.Contains(node)) continue;
            _repairsPending[node] = _quorum.Merged;
            var host = _plan.Targets.First(t => t.Node == node).Host;
            host.Tell(new MergeKeyState(_plan.RequestId, _plan.Partition, _plan.Key, _quorum.Merged));
            _spans?.Sent(node, ReplicaSpans.Repair);
            _metrics.ReadRepairSent();
        }
    }

    private void OnRepairDone(Address node, bool failed)
    {
        if (!_repairsPending.Remove(node, out var sent)) return;
        if (failed) _repairsFailed.Add(node);
        else _quorum.Repaired(node, sent);
        if (!_replied && _answer is not null) ReplyOnceHeld(); // only voters that hold the answer count toward R
        else if (_replied) Repair(); // the merge may have grown while this repair was in flight
        StopWhenSettled();
    }

    private void Reply()
    {
        _replied = true;
        var answer = _answer!;
        if (answer.Values.Count > 1) _metrics.SiblingsSeen();
        _replyTo.Tell(new GetResponse(_correlationId, new ReadResult(answer.HasValues, answer.DistinctValues(),
            Contexts.ContextAuthority.Get(Context.System).Sign(answer.Clock, _plan.Key))));
        Repair(); // answers that came in while the blocking repairs ran
        // The rest of the replicas get a short window to answer so that they can be repaired too.
        DeadlineIn(_settleWindow);
    }

    private void Fail(string reason)
    {
        _replied = true;
        var error = new QuorumNotReachedException(StoreOperation.Get, _plan.Key, _plan.Required,
            _quorum.Tally.SucceededNodes(), _quorum.Tally.MissingNodes().Concat(_plan.Unreachable.Select(a => a.ToString())).ToArray(),
            _plan.Unreachable.Count > 0 ? $"{reason}; unreachable: {string.Join(", ", _plan.Unreachable)}" : reason);
        _replyTo.Tell(new RequestFailed(_correlationId, error));
        Context.Stop(Self);
    }

    private void StopWhenSettled()
    {
        if (_replied && _quorum.Tally.AllAnswered && _repairsPending.Count == 0) Context.Stop(Self);
    }
}
