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
/// then. The actor stops when every replica it asked has answered and every repair is acknowledged, or when the settle
/// window (leaderless.settle-window) after the reply closes.
/// <para>With hedging (leaderless.read-hedging) a simple plan's read asks only R replicas first (see <see cref="ReadRounds"/>)
/// and asks the rest (hedges) as soon as those R can no longer bring the reply on their own (one failed, answered without
/// a vote, or was left without the answer by a failed repair), or when R votes are not in after the node's hedge delay
/// (<see cref="ReadLatencyTracker"/>). The R asked are voters of the key's one owner set, so the quorum they form
/// intersects every write quorum just as any other R would; replicas never asked are not repaired (anti-entropy is).</para>
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
    private readonly ReadLatencyTracker? _latencies;
    private readonly Address? _self;
    // The targets in the order they are asked, how many were asked first, and how many so far (all once hedged).
    private readonly (Address Node, IActorRef Host)[] _order;
    private readonly int _firstRound;
    private int _asked;
    // When the first round and the hedge were sent (Stopwatch timestamps), to time the replicas' round trips.
    private long _startedAt, _hedgedAt;
    // The coordinator's one timer is set for the hedge delay rather than the request's deadline.
    private bool _timerIsHedge;

    public ReadCoordinator(RequestPlan plan, Guid correlationId, IActorRef replyTo, TimeSpan settleWindow, StoreMetrics metrics,
        Address? self = null, ReadLatencyTracker? hedging = null)
        : base(plan)
    {
        _metrics = metrics;
        _plan = plan;
        _correlationId = correlationId;
        _replyTo = replyTo;
        _settleWindow = settleWindow;
        _quorum = new ReadQuorum(plan.TargetNodes, plan.Required, plan.Groups);
        _spans = ReplicaSpans.For(plan);
        _latencies = hedging;
        _self = self;
        (_order, _firstRound) = ReadRounds.Of(plan, self, hedging is not null);
    }

    /// <summary>Props of a read of <paramref name="plan"/>; with <paramref name="hedging"/> (the node's read latencies) a
    /// simple plan's read asks R replicas first, this node's (<paramref name="self"/>) first among them.</summary>
    public static Props Props(RequestPlan plan, Guid correlationId, IActorRef replyTo, TimeSpan settleWindow, StoreMetrics metrics,
        Address? self = null, ReadLatencyTracker? hedging = null) =>
        PropsOf(() => new ReadCoordinator(plan, correlationId, replyTo, settleWindow, metrics, self, hedging));

    protected override void PreStart()
    {
        _startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        AskUpTo(_firstRound);
        if (_asked < _order.Length)
        {
            _timerIsHedge = true;
            DeadlineIn(Min(_latencies!.Delay, _plan.Timeout));
        }
        else DeadlineIn(_plan.Timeout);
    }

    private void AskUpTo(int count)
    {
        for (; _asked < count; _asked++)
        {
            var (node, host) = _order[_asked];
            host.Tell(new ReadKey(_plan.RequestId, _plan.Partition, _plan.Key), ReplyAddress);
            _spans?.Sent(node, ReplicaSpans.Read);
        }
    }

    /// <summary>Asks the replicas the first round left out, once.</summary>
    private void Hedge(bool slow)
    {
        if (_asked == _order.Length) return;
        _hedgedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        AskUpTo(_order.Length);
        _metrics.ReadHedged(slow);
    }

    /// <summary>Hedges before the reply as soon as the replicas asked can no longer bring it on their own: fewer than R of
    /// them are left that have not failed or answered without a vote and, once there is an answer, that hold it, are
    /// being repaired to it or have not answered yet.</summary>
    private void HedgeIfAskedFallShort()
    {
        if (_replied || _asked == _order.Length) return;
        var possible = 0;
        for (var i = 0; i < _asked; i++)
        {
            var node = _order[i].Node;
            if (_quorum.Tally.IsUnanswered(node)
                || (_quorum.Tally.HasSucceeded(node) && (_answer is null || _repairsPending.ContainsKey(node) || _quorum.Holds(node, _answer))))
                possible++;
        }
        if (possible < _plan.Required) Hedge(slow: false);
    }

    private void RecordLatency(Address node)
    {
        // This node's own replica answers without a network hop: its round trips would pull the percentile below what the
        // remote replica a read waits for takes.
        if (_latencies is null || node == _self) return;
        // The first round's replicas were asked at the start, the others when the read hedged.
        _latencies.RecordSince(InFirstRound(node) ? _startedAt : _hedgedAt);
    }

    // A loop rather than Array.FindIndex with a lambda: no closure allocated per answer on the read path.
    private bool InFirstRound(Address node)
    {
        for (var i = 0; i < _firstRound; i++)
            if (_order[i].Node == node) return true;
        return false;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

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
                if (_quorum.Record(r.Node, r.State, vote: !r.NeedsRepair && !_plan.Filling.Contains(r.Node)))
                {
                    RecordLatency(r.Node);
                    OnAnswer();
                }
                HedgeIfAskedFallShort();
                break;
            case KeyStored s when s.RequestId == _plan.RequestId:
                OnRepairDone(s.Node, failed: false);
                HedgeIfAskedFallShort();
                break;
            case ReplicaFailed f when f.RequestId == _plan.RequestId:
                if (!_repairsPending.ContainsKey(f.Node) && _quorum.RecordFailure(f.Node)) OnAnswer();
                else OnRepairDone(f.Node, failed: true);
                HedgeIfAskedFallShort();
                break;
            case Deadline when _timerIsHedge:
                // R votes did not come in within the hedge delay: ask the others, and wait out the rest of the timeout.
                _timerIsHedge = false;
                if (!_replied) Hedge(slow: true);
                DeadlineIn(Max(_plan.Timeout - System.Diagnostics.Stopwatch.GetElapsedTime(_startedAt), TimeSpan.FromMilliseconds(1)));
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
            host.Tell(new MergeKeyState(_plan.RequestId, _plan.Partition, _plan.Key, _quorum.Merged), ReplyAddress);
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
        // The rest of the replicas asked get a short window to answer so that they can be repaired too.
        _timerIsHedge = false;
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
        // Replicas never asked cannot answer: the tally counts them as unanswered.
        if (_replied && _quorum.Tally.Unanswered == _order.Length - _asked && _repairsPending.Count == 0) Context.Stop(Self);
    }
}
