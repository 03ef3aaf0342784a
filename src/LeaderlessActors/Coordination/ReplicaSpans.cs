using System.Diagnostics;
using Akka.Actor;
using LeaderlessActors.Diagnostics;
using LeaderlessActors.Hints;
using LeaderlessActors.Replication;

namespace LeaderlessActors.Coordination;

/// <summary>
/// A coordinator's spans of its requests to replicas (see <see cref="StoreTracing"/>): one from each send to the
/// replica's answer, or to the coordinator's end when none came. A node has at most one request of a coordinator open at
/// a time (a read repair goes only to a replica that answered), so its answer ends that one. Coordinators hold none
/// (null) when their request is not traced or nobody listens, and then pay a null check per call.
/// </summary>
internal sealed class ReplicaSpans
{
    public const string Read = "leaderless.replica.read";
    public const string Write = "leaderless.replica.write";
    public const string Store = "leaderless.replica.store";
    public const string Hint = "leaderless.replica.hint";
    public const string Repair = "leaderless.replica.repair";

    private readonly RequestPlan _plan;
    private readonly Dictionary<Address, Activity> _open = [];

    private ReplicaSpans(RequestPlan plan) => _plan = plan;

    /// <summary>The spans of <paramref name="plan"/>'s replica requests; null when it is not traced or nobody listens.</summary>
    public static ReplicaSpans? For(RequestPlan plan) =>
        plan.Trace == default || !StoreTracing.Source.HasListeners() ? null : new ReplicaSpans(plan);

    /// <summary>A <paramref name="request"/> (one of this class's span names) was sent to <paramref name="node"/>.</summary>
    public void Sent(Address node, string request)
    {
        // Actors share threads: the span must not stay the thread's current activity after this message.
        var current = Activity.Current;
        var span = StoreTracing.Source.StartActivity(request, ActivityKind.Client, _plan.Trace);
        Activity.Current = current;
        if (span is null) return;
        span.SetTag(StoreTracing.ReplicaNodeTag, node.ToString());
        span.SetTag(StoreTracing.PartitionTag, _plan.Partition);
        if (_open.Remove(node, out var superseded)) End(superseded, answered: false);
        _open[node] = span;
    }

    /// <summary>Ends the span <paramref name="message"/> answers, when it is a replica's answer to this request.</summary>
    public void Received(object message)
    {
        var (node, failure) = message switch
        {
            KeyRead r when r.RequestId == _plan.RequestId => (r.Node, (ReplicaFailure?)null),
            KeyStored s when s.RequestId == _plan.RequestId => (s.Node, null),
            WriteCoordinated w when w.RequestId == _plan.RequestId => (w.Node, null),
            // A WriteIssued answers nothing yet: the coordinating replica's span ends with its durable KeyStored.
            HintStored h when h.RequestId == _plan.RequestId => (h.Node, null),
            ReplicaFailed f when f.RequestId == _plan.RequestId => (f.Node, f.Failure),
            _ => (null, null),
        };
        if (node is null || !_open.Remove(node, out var span)) return;
        if (failure is { } failed)
        {
            span.SetTag(StoreTracing.FailureTag, failed.ToString());
            span.SetStatus(ActivityStatusCode.Error, failed.ToString());
        }
        End(span, answered: true);
    }

    /// <summary>The coordinator stops: the spans of the replicas that did not answer end, marked so.</summary>
    public void Unanswered()
    {
        foreach (var span in _open.Values) End(span, answered: false);
        _open.Clear();
    }

    private static void End(Activity span, bool answered)
    {
        span.SetTag(StoreTracing.AnsweredTag, answered);
        var current = Activity.Current;
        span.Stop();
        Activity.Current = current;
    }
}
