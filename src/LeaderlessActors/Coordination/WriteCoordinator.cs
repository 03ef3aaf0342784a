using Akka.Actor;
using LeaderlessActors.Hints;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Coordination;

/// <summary>
/// Coordinates one write or delete. One replica (this node's, when it is a reachable primary) creates the new version
/// from the client's causal context and makes it durable; its resulting state is stored on the other reachable
/// replicas, and the client is answered once W distinct replicas have it durably. With
/// leaderless.storage.fan-out-before-durable, this node's replica tells the state as soon as it decided it
/// (<see cref="WriteIssued"/>), so the others store it while its own journal writes it, and it
/// counts once that is durable (<see cref="KeyStored"/>); a failure then is one failed replica among the others. A
/// remote coordinating replica answers once, when durable (<see cref="WriteCoordinated"/>). A write that misses W after a
/// replica may have stored it is reported as unknown, never as failed. In a sloppy write, fallbacks keep the state as a
/// hint for the owner they stand in for and count toward W. When it stops, the coordinator leaves a hint on its own node
/// for every owner that did not acknowledge the written state and that no fallback covers.
/// </summary>
internal sealed class WriteCoordinator : Coordinator
{
    private readonly RequestPlan _plan;
    private readonly StoreOperation _operation;
    private readonly byte[]? _value;
    private readonly VersionVector _context;
    private readonly int _maxSiblings;
    private readonly Guid _correlationId;
    private readonly IActorRef _replyTo;
    private readonly TimeSpan _settleWindow;
    private readonly QuorumTally _tally;
    private readonly Address _coordinatingNode;
    // Why replicas that hold or may hold the write failed it, for the reason of an unknown outcome.
    private readonly List<string> _failures = [];
    // Where this node keeps hints (Nobody when hints are off), and the owners a fallback already holds a hint for.
    private readonly IActorRef _hints;
    private readonly HashSet<Address> _coveredByFallback = [];
    // The store's clock: a hint's creation time is read from it, as is its age in the metrics.
    private readonly TimeProvider _clock;
    private SiblingSet? _written;
    private VersionVector? _writerContext;
    private bool _replied;
    private readonly ReplicaSpans? _spans;

    public WriteCoordinator(RequestPlan plan, StoreOperation operation, byte[]? value, VersionVector context, int maxSiblings,
        Address self, Guid correlationId, IActorRef replyTo, TimeSpan settleWindow, IActorRef? hints = null, TimeProvider? clock = null)
        : base(plan)
    {
        _hints = hints ?? ActorRefs.Nobody;
        _clock = clock ?? TimeProvider.System;
        _plan = plan;
        _operation = operation;
        _value = value;
        _context = context;
        _maxSiblings = maxSiblings;
        _correlationId = correlationId;
        _replyTo = replyTo;
        _settleWindow = settleWindow;
        _tally = new QuorumTally(plan.WriteVoters, plan.Required, plan.WriteGroups, QuorumRule.EveryGroup);
        // Coordinating on this node's own replica saves a network hop when it is one of the key's primaries; otherwise the
        // first target, which the plan puts among the connected ones if any (a node that just crashed is not chosen).
        _coordinatingNode = plan.Targets.Any(t => t.Node == self) ? self : plan.Targets[0].Node;
        _spans = ReplicaSpans.For(plan);
    }

    public static Props Props(RequestPlan plan, StoreOperation operation, byte[]? value, VersionVector context, int maxSiblings,
        Address self, Guid correlationId, IActorRef replyTo, TimeSpan settleWindow, IActorRef? hints = null, TimeProvider? clock = null) =>
        PropsOf(() => new WriteCoordinator(plan, operation, value, context, maxSiblings, self, correlationId, replyTo, settleWindow, hints, clock));

    protected override void PreStart()
    {
        HostOf(_coordinatingNode).Tell(new CoordinateWrite(_plan.RequestId, _plan.Partition, _plan.Key, _value, _context, _maxSiblings),
            ReplyAddress);
        _spans?.Sent(_coordinatingNode, ReplicaSpans.Write);
        DeadlineIn(_plan.Timeout);
    }

    protected override void OnReceive(object message)
    {
        _spans?.Received(message);
        switch (message)
        {
            case WriteIssued w when w.RequestId == _plan.RequestId && w.Node == _coordinatingNode && _written is null:
                // Not durable yet: its vote is the KeyStored (or ReplicaFailed) that follows, in order, from the same replica.
                Replicate(w.State, w.Dot);
                break;
            case WriteCoordinated w when w.RequestId == _plan.RequestId && w.Node == _coordinatingNode && _written is null:
                Replicate(w.State, w.Dot);
                _tally.Succeed(w.Node);
                Progress();
                break;
            case HintStored h when h.RequestId == _plan.RequestId && _plan.Fallbacks.FirstOrDefault(f => f.Node == h.Node) is { } fallback:
                _coveredByFallback.Add(fallback.StandsFor);
                _tally.Succeed(h.Node);
                Progress();
                break;
            case KeyStored s when s.RequestId == _plan.RequestId && _written is not null:
                _tally.Succeed(s.Node);
                Progress();
                break;
            case ReplicaFailed { Failure: ReplicaFailure.SiblingLimit } f when f.RequestId == _plan.RequestId && _written is null:
                Finish(new RequestFailed(_correlationId, new SiblingLimitExceededException(_plan.Key, _maxSiblings)));
                break;
            case ReplicaFailed { Failure: ReplicaFailure.KeyStateLimit } f when f.RequestId == _plan.RequestId && _written is null:
                Finish(new RequestFailed(_correlationId, new KeyStateLimitExceededException(_plan.Key, f.Message)));
                break;
            case ReplicaFailed { Failure: ReplicaFailure.StorageFailed } f when f.RequestId == _plan.RequestId && _written is null && f.Node == _coordinatingNode:
                // The journal failed under the coordinating replica: it may or may not have written the event.
                _tally.Fail(f.Node);
                Finish(Unknown($"the coordinating replica failed: {f.Message}"));
                break;
            case ReplicaFailed f when f.RequestId == _plan.RequestId && _written is null && f.Node == _coordinatingNode:
                // Refused before anything was written (recovering, unknown partition): the write certainly failed.
                _tally.Fail(f.Node);
                Finish(Failure($"the coordinating replica refused the write: {f.Message}", outcomeUnknown: false));
                break;
            case ReplicaFailed f when f.RequestId == _plan.RequestId:
                // A replica that refuses the replicated write at its own limits (siblings, key state) holds the versions
                // it had: the write is stored elsewhere, so a miss of W is still an unknown outcome, with the reason. The
                // coordinating replica whose journal failed after its WriteIssued is one failed replica like any other:
                // the others may still make W, and then W replicas do hold the write durably.
                if (f.Failure is ReplicaFailure.SiblingLimit or ReplicaFailure.KeyStateLimit) _failures.Add($"{f.Node} refused it: {f.Message}");
                else if (f.Node == _coordinatingNode) _failures.Add($"the coordinating replica failed: {f.Message}");
                _tally.Fail(f.Node);
                Progress();
                break;
            case Deadline when !_replied:
                Finish(Unknown(_written is null
                    ? $"the coordinating replica {_coordinatingNode} did not answer within {_plan.Timeout.TotalMilliseconds:0} ms"
                    : $"timed out after {_plan.Timeout.TotalMilliseconds:0} ms"));
                break;
            case Deadline:
                Context.Stop(Self);
                break;
        }
    }

    /// <summary>The coordinating replica issued <paramref name="dot"/>: <paramref name="state"/> goes to the other targets
    /// and, as hints, to the fallbacks.</summary>
    private void Replicate(SiblingSet state, Dot dot)
    {
        _written = state;
        _writerContext = state.WriterContext(dot, _context);
        foreach (var (node, host) in _plan.Targets)
        {
            if (node == _coordinatingNode) continue;
            host.Tell(new MergeKeyState(_plan.RequestId, _plan.Partition, _plan.Key, state, Write: true), ReplyAddress);
            _spans?.Sent(node, ReplicaSpans.Store);
        }
        foreach (var fallback in _plan.Fallbacks)
        {
            fallback.HintStore.Tell(new StoreHint(_plan.RequestId, HintFor(fallback.StandsFor)), ReplyAddress);
            _spans?.Sent(fallback.Node, ReplicaSpans.Hint);
        }
    }

    private void Progress()
    {
        if (!_replied && _tally.IsMet)
        {
            _replied = true;
            _replyTo.Tell(new WriteResponse(_correlationId, new WriteResult(
                Contexts.ContextAuthority.Get(Context.System).Sign(_writerContext!, _plan.Key), _tally.SucceededNodes())));
            // Remaining replicas get a short window to acknowledge: an owner that does is left no hint when this stops.
            DeadlineIn(_settleWindow);
        }
        else if (!_replied && !_tally.CanStillBeMet)
        {
            Finish(Unknown(_failures.Count == 0 ? "replicas failed" : $"replicas failed; {string.Join("; ", _failures)}"));
            return;
        }
        if (_replied && _tally.AllAnswered) Context.Stop(Self);
    }

    protected override void PostStop()
    {
        base.PostStop();
        _spans?.Unanswered();
        // Whatever owner has not acknowledged the written state by now (unreachable, silent, refused) gets it replayed.
        if (_written is null || _hints.IsNobody()) return;
        var missed = _plan.Primaries.Where(owner => !_tally.HasSucceeded(owner) && !_coveredByFallback.Contains(owner)).Select(HintFor).ToArray();
        if (missed.Length > 0) _hints.Tell(new KeepHints(missed));
    }

    private Hint HintFor(Address owner) => new(owner, _plan.Partition, _plan.Key, _written!, _clock.GetUtcNow().UtcDateTime);

    private RequestFailed Unknown(string reason) => Failure(reason, outcomeUnknown: true);

    private RequestFailed Failure(string reason, bool outcomeUnknown)
    {
        var missing = _tally.MissingNodes().Concat(_plan.Unreachable.Select(a => a.ToString())).ToArray();
        if (_plan.Unreachable.Count > 0) reason += $"; unreachable: {string.Join(", ", _plan.Unreachable)}";
        return new RequestFailed(_correlationId, outcomeUnknown
            ? new WriteOutcomeUnknownException(_operation, _plan.Key, _plan.Required, _tally.SucceededNodes(), missing, reason)
            : new QuorumNotReachedException(_operation, _plan.Key, _plan.Required, _tally.SucceededNodes(), missing, reason));
    }

    private void Finish(RequestFailed failure)
    {
        _replied = true;
        _replyTo.Tell(failure);
        Context.Stop(Self);
    }

    private IActorRef HostOf(Address node) => _plan.Targets.First(t => t.Node == node).Host;
}
