using LeaderlessActors.Serialization;

namespace LeaderlessActors;

// The actor-message form of the store's API. Send a request to LeaderlessStore.Gateway; the reply goes to the sender and
// carries the request's correlation id: a response record, or RequestFailed with the same exception the async API throws.

/// <summary>A request to the store; the reply carries the same <see cref="CorrelationId"/>.</summary>
public interface IStoreRequest : ILeaderlessWireMessage
{
    /// <summary>Chosen by the caller to match the reply to the request.</summary>
    Guid CorrelationId { get; }

    /// <summary>The key the request is about.</summary>
    string Key { get; }
}

/// <summary>Read a key. Answered with <see cref="GetResponse"/> or <see cref="RequestFailed"/>.</summary>
public sealed record GetRequest(Guid CorrelationId, string Key, ReadOptions? Options = null) : IStoreRequest;

/// <summary>Write a value. Answered with <see cref="WriteResponse"/> or <see cref="RequestFailed"/>.</summary>
public sealed record PutRequest(Guid CorrelationId, string Key, byte[] Value, CausalContext? Context = null, WriteOptions? Options = null)
    : IStoreRequest;

/// <summary>Delete a key (a tombstone write). Answered with <see cref="WriteResponse"/> or <see cref="RequestFailed"/>.</summary>
public sealed record DeleteRequest(Guid CorrelationId, string Key, CausalContext? Context = null, WriteOptions? Options = null)
    : IStoreRequest;

/// <summary>Read every replica's state of a key. Answered with <see cref="InspectResponse"/> or <see cref="RequestFailed"/>.</summary>
public sealed record InspectRequest(Guid CorrelationId, string Key, TimeSpan? Timeout = null) : IStoreRequest;

/// <summary>The answer to a <see cref="GetRequest"/>.</summary>
public sealed record GetResponse(Guid CorrelationId, ReadResult Result) : ILeaderlessWireMessage;

/// <summary>The answer to an acknowledged <see cref="PutRequest"/> or <see cref="DeleteRequest"/>.</summary>
public sealed record WriteResponse(Guid CorrelationId, WriteResult Result) : ILeaderlessWireMessage;

/// <summary>The answer to an <see cref="InspectRequest"/>.</summary>
public sealed record InspectResponse(Guid CorrelationId, KeyInspection Inspection) : ILeaderlessWireMessage;

/// <summary>A request failed; <paramref name="Error"/> is what the async API would throw.</summary>
public sealed record RequestFailed(Guid CorrelationId, LeaderlessException Error) : ILeaderlessWireMessage;
