namespace LeaderlessActors.Node.Http;

/// <summary>
/// The HTTP form of the store's errors: RFC 9457 problem details (<c>application/problem+json</c> with type, title,
/// status, detail) that keep the API's <c>error</c> code, <c>message</c> and each error's details as extension members.
/// 400 bad input, 401 no or wrong bearer token, 413 value too large, 409 too many siblings, 428 delete without context,
/// 429 overloaded, 503 quorum not reached, 504 unknown outcome; a refused ring removal: 400 bad node, 404 not in the
/// ring, 409 the node is alive.
/// </summary>
internal static class ErrorResults
{
    /// <summary>The problem type URI of an error code (a URN: it names the error, nothing to fetch).</summary>
    public static string TypeOf(string code) => $"urn:leaderless:problem:{code}";

    public static IResult From(Exception error) => error switch
    {
        HttpInputException e => Problem(e.Status, e.Code, e.Message),
        InvalidRequestException e => Problem(e.Reason == InvalidRequestReason.ValueTooLarge ? 413 : 400, CodeOf(e.Reason), e.Message,
            ("reason", e.Reason.ToString())),
        QuorumNotReachedException e => Problem(e.IsOutcomeUnknown ? 504 : 503, e.IsOutcomeUnknown ? "outcome_unknown" : "quorum_not_reached",
            e.Message, ("operation", e.Operation.ToString().ToLowerInvariant()), ("key", e.Key), ("required", e.Required),
            ("answered", e.Answered), ("answeredReplicas", e.AnsweredReplicas), ("missingReplicas", e.MissingReplicas),
            ("reason", e.Reason), ("outcomeUnknown", e.IsOutcomeUnknown)),
        OverloadedException e => new WithHeader("Retry-After", "1", Problem(429, "overloaded", e.Message, ("limit", e.Limit))),
        SiblingLimitExceededException e => Problem(409, "sibling_limit", e.Message, ("key", e.Key), ("limit", e.Limit)),
        KeyStateLimitExceededException e => Problem(413, "key_state_too_large", e.Message, ("key", e.Key), ("detail", e.Detail)),
        RingRemovalRefusedException e => Problem(e.Reason switch
            {
                RingRemovalRefusal.MalformedNode => 400,
                RingRemovalRefusal.NotInRing => 404,
                _ => 409,
            }, e.Reason switch
            {
                RingRemovalRefusal.MalformedNode => "bad_node",
                RingRemovalRefusal.NotInRing => "not_in_ring",
                _ => "node_alive",
            }, e.Message, ("node", e.Node), ("reason", e.Reason.ToString())),
        Akka.Actor.AskTimeoutException => Problem(504, "timeout", "The node did not answer in time; a write's outcome is unknown."),
        _ => Problem(500, "internal_error", error.Message),
    };

    /// <summary>401 for a request without the configured bearer token.</summary>
    public static IResult Unauthorized() => new WithHeader("WWW-Authenticate", "Bearer", Problem(401, "unauthorized",
        "This node requires 'Authorization: Bearer <token>' (--auth-token) on every endpoint but /health."));

    private static string CodeOf(InvalidRequestReason reason) => reason switch
    {
        InvalidRequestReason.EmptyKey or InvalidRequestReason.KeyTooLarge => "bad_key",
        InvalidRequestReason.ValueTooLarge => "value_too_large",
        InvalidRequestReason.MalformedContext => "malformed_context",
        InvalidRequestReason.ConsistencyOutOfRange => "bad_consistency",
        InvalidRequestReason.InvalidTimeout => "bad_timeout",
        InvalidRequestReason.SloppyQuorumUnavailable => "sloppy_quorum_unavailable",
        _ => "bad_request",
    };

    private static string TitleOf(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        404 => "Not found",
        409 => "Conflict",
        413 => "Value too large",
        428 => "Precondition required",
        429 => "Overloaded",
        503 => "Quorum not reached",
        504 => "Outcome unknown",
        _ => "Internal error",
    };

    private static IResult Problem(int status, string code, string message, params (string Name, object? Value)[] details)
    {
        var extensions = new Dictionary<string, object?> { ["error"] = code, ["message"] = message };
        foreach (var (name, value) in details) extensions[name] = value;
        return Results.Problem(message, statusCode: status, title: TitleOf(status), type: TypeOf(code), extensions: extensions);
    }

    /// <summary>An error answer with one more header (Retry-After for overload, WWW-Authenticate for 401).</summary>
    private sealed class WithHeader(string name, string value, IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[name] = value;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
