using System.Text;
using LeaderlessActors.Contexts;

namespace LeaderlessActors.Coordination;

/// <summary>Checks a request against the configured limits, and its causal context against the key it is for, before
/// anything is sent or stored.</summary>
internal sealed class RequestValidator(LeaderlessSettings settings, ContextAuthority contexts)
{
    /// <summary>The first problem with the request, or null when it is valid.</summary>
    public InvalidRequestException? Check(IStoreRequest request) => request switch
    {
        _ when string.IsNullOrEmpty(request.Key) =>
            new(InvalidRequestReason.EmptyKey, "The key must not be empty."),
        _ when Encoding.UTF8.GetByteCount(request.Key) > settings.MaxKeyBytes =>
            new(InvalidRequestReason.KeyTooLarge,
                $"The key is {Encoding.UTF8.GetByteCount(request.Key)} bytes; leaderless.max-key-bytes is {settings.MaxKeyBytes}."),
        GetRequest g => CheckConsistency(g.Options?.Consistency, "read") ?? CheckTimeout(g.Options?.Timeout),
        PutRequest { Value: null } => new(InvalidRequestReason.MissingValue, "The value must not be null; use DeleteAsync to delete."),
        PutRequest p when p.Value.Length > settings.MaxValueBytes =>
            new(InvalidRequestReason.ValueTooLarge,
                $"The value is {p.Value.Length} bytes; leaderless.max-value-bytes is {settings.MaxValueBytes}."),
        PutRequest p => CheckContext(p.Context, p.Key) ?? CheckConsistency(p.Options?.Consistency, "write") ?? CheckTimeout(p.Options?.Timeout),
        DeleteRequest d => CheckContext(d.Context, d.Key) ?? CheckConsistency(d.Options?.Consistency, "write") ?? CheckTimeout(d.Options?.Timeout),
        InspectRequest i => CheckTimeout(i.Timeout),
        _ => null,
    };

    private InvalidRequestException? CheckContext(CausalContext? context, string key)
    {
        if (context is null) return null;
        if (context.Clock.Count > settings.MaxClockEntries)
            return new(InvalidRequestReason.MalformedContext,
                $"The causal context has {context.Clock.Count} entries; leaderless.max-clock-entries is {settings.MaxClockEntries}.");
        return contexts.Verifies(context, key)
            ? null
            : new(InvalidRequestReason.MalformedContext,
                "The causal context was not issued by this cluster for this key (read the key and use that read's context).")
            {
                UnverifiedContext = context,
            };
    }

    private InvalidRequestException? CheckConsistency(Consistency? consistency, string kind)
    {
        if (consistency is not { } c) return null;
        var required = c.RequiredFor(settings.ReplicationFactor);
        return required < 1 || required > settings.ReplicationFactor
            ? new(InvalidRequestReason.ConsistencyOutOfRange,
                $"The {kind} consistency {c} needs {required} replicas; it must be between 1 and the replication factor {settings.ReplicationFactor}.")
            : null;
    }

    private static InvalidRequestException? CheckTimeout(TimeSpan? timeout) =>
        timeout is { } t && t <= TimeSpan.Zero
            ? new(InvalidRequestReason.InvalidTimeout, $"The timeout must be positive, not {t}.")
            : null;
}
