namespace LeaderlessActors;

/// <summary>Base type of every error the store reports.</summary>
public abstract class LeaderlessException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected LeaderlessException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>Why a request was rejected before anything was sent or stored.</summary>
public enum InvalidRequestReason
{
    /// <summary>The key is null or empty.</summary>
    EmptyKey,
    /// <summary>The key's UTF-8 encoding is longer than <c>leaderless.max-key-bytes</c>.</summary>
    KeyTooLarge,
    /// <summary>The value is longer than <c>leaderless.max-value-bytes</c>.</summary>
    ValueTooLarge,
    /// <summary>A put carries no value (null); a delete is the way to remove a key.</summary>
    MissingValue,
    /// <summary>The causal context text is not one the store produced.</summary>
    MalformedContext,
    /// <summary>The consistency level asks for fewer than 1 or more than N replicas.</summary>
    ConsistencyOutOfRange,
    /// <summary>The timeout is zero or negative.</summary>
    InvalidTimeout,
    /// <summary>The write asks for a sloppy quorum, but hints are off on this node (<c>leaderless.hints.enabled</c>).</summary>
    SloppyQuorumUnavailable,
}

/// <summary>A request was rejected before anything was sent or stored.</summary>
public sealed class InvalidRequestException(InvalidRequestReason reason, string message) : LeaderlessException(message)
{
    /// <summary>What was wrong with the request.</summary>
    public InvalidRequestReason Reason { get; } = reason;

    // Set when the only problem is a context tag that none of this node's secrets verifies: another member may know
    // the secret it was signed with, so it is worth asking before refusing.
    internal CausalContext? UnverifiedContext { get; init; }
}

/// <summary>The kind of request an error refers to.</summary>
public enum StoreOperation
{
    /// <summary>A read.</summary>
    Get,
    /// <summary>A write of a value.</summary>
    Put,
    /// <summary>A delete (a tombstone write).</summary>
    Delete,
}

/// <summary>
/// A request did not get the number of replica answers its consistency level requires. For reads and for writes that
/// reached no replica, nothing changed. A write that may have been stored by some replicas is reported with the subtype
/// <see cref="WriteOutcomeUnknownException"/>.
/// </summary>
public class QuorumNotReachedException : LeaderlessException
{
    /// <summary>Creates the exception.</summary>
    public QuorumNotReachedException(StoreOperation operation, string key, int required,
        IReadOnlyList<string> answered, IReadOnlyList<string> missing, string reason)
        : this(operation, key, required, answered, missing, reason, "failed") { }

    private protected QuorumNotReachedException(StoreOperation operation, string key, int required,
        IReadOnlyList<string> answered, IReadOnlyList<string> missing, string reason, string outcome)
        : base($"{operation} of '{key}' {outcome}: {required} replica(s) required, {answered.Count} answered " +
               $"[{string.Join(", ", answered)}], missing [{string.Join(", ", missing)}]; {reason}")
    {
        Operation = operation;
        Key = key;
        Required = required;
        AnsweredReplicas = answered;
        MissingReplicas = missing;
        Reason = reason;
    }

    /// <summary>The operation that failed.</summary>
    public StoreOperation Operation { get; }

    /// <summary>The key of the request.</summary>
    public string Key { get; }

    /// <summary>How many distinct replicas had to answer.</summary>
    public int Required { get; }

    /// <summary>How many distinct replicas answered successfully.</summary>
    public int Answered => AnsweredReplicas.Count;

    /// <summary>The node addresses of the replicas that answered successfully.</summary>
    public IReadOnlyList<string> AnsweredReplicas { get; }

    /// <summary>The node addresses of the replicas that failed, were unreachable or did not answer in time.</summary>
    public IReadOnlyList<string> MissingReplicas { get; }

    /// <summary>Why the quorum was missed (timeout, unreachable replicas, replica failures).</summary>
    public string Reason { get; }

    /// <summary>True when some replicas may have stored the write: it may still become visible.</summary>
    public virtual bool IsOutcomeUnknown => false;
}

/// <summary>
/// A write missed its quorum after at least one replica may have stored it: the write may or may not become visible.
/// Retrying with the same causal context is safe; it produces at worst a sibling of the same value.
/// </summary>
public sealed class WriteOutcomeUnknownException(StoreOperation operation, string key, int required,
    IReadOnlyList<string> answered, IReadOnlyList<string> missing, string reason)
    : QuorumNotReachedException(operation, key, required, answered, missing, reason, "has an unknown outcome")
{
    /// <inheritdoc />
    public override bool IsOutcomeUnknown => true;
}

/// <summary>
/// The node coordinates <c>leaderless.max-live-coordinators</c> requests already and could not take this one: its queue
/// of waiting requests (<c>leaderless.max-queued-requests</c>) was full, or the request's timeout passed while it waited.
/// Nothing was started; retry later.
/// </summary>
public sealed class OverloadedException(int limit)
    : LeaderlessException($"The node has {limit} requests in flight (leaderless.max-live-coordinators) and could not take this one: " +
                          "its queue of waiting requests (leaderless.max-queued-requests) was full or the request's timeout passed " +
                          "while it waited; retry later.")
{
    /// <summary>The configured bound that was reached.</summary>
    public int Limit { get; } = limit;
}

/// <summary>
/// A write would leave more than <c>leaderless.max-siblings</c> concurrent versions of the key. Nothing was stored:
/// read the key and write with its context to resolve the siblings.
/// </summary>
public sealed class SiblingLimitExceededException(string key, int limit)
    : LeaderlessException($"Writing '{key}' would leave more than {limit} siblings (leaderless.max-siblings); " +
                          "read it and write with the read's context to resolve them.")
{
    /// <summary>The key of the request.</summary>
    public string Key { get; } = key;

    /// <summary>The configured bound.</summary>
    public int Limit { get; } = limit;
}

/// <summary>
/// A write would leave a key's state past a bound: more than <c>leaderless.max-key-state-bytes</c> of siblings and clock,
/// more than <c>leaderless.max-clock-entries</c>, or a version counter at its end. Nothing was stored: read the key and
/// write with the read's context to resolve its siblings, which shrinks the state.
/// </summary>
public sealed class KeyStateLimitExceededException(string key, string detail)
    : LeaderlessException($"Writing '{key}' was refused: {detail}. Read it and write with the read's context to resolve its siblings.")
{
    /// <summary>The key of the request.</summary>
    public string Key { get; } = key;

    /// <summary>Which bound the write would pass, and by how much.</summary>
    public string Detail { get; } = detail;
}

/// <summary>A setting under <c>leaderless</c> is missing or invalid; the message names the key.</summary>
public sealed class LeaderlessConfigurationException(string key, string message)
    : LeaderlessException($"Invalid configuration '{key}': {message}")
{
    /// <summary>The full HOCON path of the bad setting.</summary>
    public string Key { get; } = key;
}
