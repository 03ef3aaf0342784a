namespace LeaderlessActors.Node.Http;

/// <summary>
/// The HTTP form of the store's errors: a status and a JSON body <c>{"error": code, "message": ..., details}</c>.
/// 400 bad input, 413 value too large, 409 too many siblings, 429 overloaded, 503 quorum not reached, 504 unknown outcome.
/// </summary>
internal static class ErrorResults
{
    public static IResult From(Exception error) => error switch
    {
        InvalidRequestException e => Json(e.Reason == InvalidRequestReason.ValueTooLarge ? 413 : 400, CodeOf(e.Reason), e.Message,
            ("reason", e.Reason.ToString())),
        QuorumNotReachedException e => Json(e.IsOutcomeUnknown ? 504 : 503, e.IsOutcomeUnknown ? "outcome_unknown" : "quorum_not_reached",
            e.Message, ("operation", e.Operation.ToString().ToLowerInvariant()), ("key", e.Key), ("required", e.Required),
            ("answered", e.Answered), ("answeredReplicas", e.AnsweredReplicas), ("missingReplicas", e.MissingReplicas),
            ("reason", e.Reason), ("outcomeUnknown", e.IsOutcomeUnknown)),
        OverloadedException e => new WithRetryAfter(Json(429, "overloaded", e.Message, ("limit", e.Limit))),
        SiblingLimitExceededException e => Json(409, "sibling_limit", e.Message, ("key", e.Key), ("limit", e.Limit)),
        KeyStateLimitExceededException e => Json(413, "key_state_too_large", e.Message, ("key", e.Key), ("detail", e.Detail)),
        Akka.Actor.AskTimeoutException => Json(504, "timeout", "The node did not answer in time; a write's outcome is unknown."),
        _ => Json(500, "internal_error", error.Message),
    };

    private static string CodeOf(InvalidRequestReason reason) => reason switch
    {
        InvalidRequestReason.EmptyKey or InvalidRequestReason.KeyTooLarge => "bad_key",
        InvalidRequestReason.ValueTooLarge => "value_too_large",
        InvalidRequestReason.MalformedContext => "malformed_context",
        InvalidRequestReason.ConsistencyOutOfRange => "bad_consistency",
        InvalidRequestReason.InvalidTimeout => "bad_timeout",
        _ => "bad_request",
    };

    private static IResult Json(int status, string code, string message, params (string Name, object? Value)[] details)
    {
        var body = new Dictionary<string, object?> { ["error"] = code, ["message"] = message };
        foreach (var (name, value) in details) body[name] = value;
        return Results.Json(body, statusCode: status);
    }

    /// <summary>Tells an overloaded node's clients when to retry.</summary>
    private sealed class WithRetryAfter(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = "1";
            return inner.ExecuteAsync(httpContext);
        }
    }
}
