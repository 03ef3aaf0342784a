using System.Diagnostics;

namespace LeaderlessActors.Diagnostics;

/// <summary>
/// The store's traces, on the <see cref="ActivitySource"/> named <see cref="ActivitySourceName"/>: collect them with
/// OpenTelemetry's <c>AddSource(StoreTracing.ActivitySourceName)</c> or an <see cref="ActivityListener"/>. Nothing is
/// created, tagged or allocated while nobody listens. Spans:
/// <list type="bullet">
/// <item><c>leaderless.get</c>, <c>leaderless.put</c>, <c>leaderless.delete</c> (kind Internal): one per request made
/// through <see cref="LeaderlessStore"/>'s async API (requests sent to its gateway as actor messages are not traced), a
/// child of the caller's current activity. Tagged <c>leaderless.node</c> (this node's address),
/// <c>leaderless.key.hash</c> (the key's 64-bit partitioning hash in hex: keys may be personal data, so the key itself
/// is never recorded), <c>leaderless.partition</c>, <c>leaderless.consistency</c> (one, quorum, all or a number),
/// <c>leaderless.outcome</c> (as the <c>leaderless.requests</c> metric: ok, not_found, invalid, quorum_not_reached,
/// outcome_unknown, overloaded, sibling_limit, timeout, cancelled, error). A failed request (any outcome but ok and
/// not_found) ends with status Error, the outcome as its description and <c>error.type</c> the exception's type; the
/// exception's message is not recorded, as it names the key.</item>
/// <item>Children of the request span, kind Client, one per request the coordinator sends to a replica, from the send to
/// its answer or, when none came, to the coordinator's end: <c>leaderless.replica.read</c> (a read),
/// <c>leaderless.replica.write</c> (the replica that makes a write's new version), <c>leaderless.replica.store</c> (the
/// other replicas storing that version), <c>leaderless.replica.hint</c> (a fallback node keeping it as a hint, in a
/// sloppy write) and <c>leaderless.replica.repair</c> (a read repair of a stale replica; one sent after the reply ends
/// after its parent). Tagged <c>leaderless.replica.node</c> (the replica's node address), <c>leaderless.partition</c>,
/// <c>leaderless.replica.answered</c> (true or false) and, when the replica refused or failed,
/// <c>leaderless.replica.failure</c> with status Error.</item>
/// </list>
/// The trace context goes from the API to the coordinator inside the node only: replicas on other nodes start no spans
/// of their own, and no message between nodes carries it.
/// </summary>
public static class StoreTracing
{
    /// <summary>The name of the store's activity source: "LeaderlessActors".</summary>
    public const string ActivitySourceName = "LeaderlessActors";

    internal const string NodeTag = "leaderless.node";
    internal const string KeyHashTag = "leaderless.key.hash";
    internal const string PartitionTag = "leaderless.partition";
    internal const string ConsistencyTag = "leaderless.consistency";
    internal const string OutcomeTag = "leaderless.outcome";
    internal const string ErrorTypeTag = "error.type";
    internal const string ReplicaNodeTag = "leaderless.replica.node";
    internal const string AnsweredTag = "leaderless.replica.answered";
    internal const string FailureTag = "leaderless.replica.failure";

    internal static readonly ActivitySource Source = new(ActivitySourceName, typeof(StoreTracing).Assembly.GetName().Version?.ToString());
}
