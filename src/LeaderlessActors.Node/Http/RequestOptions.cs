using System.Globalization;
using System.Text.RegularExpressions;

namespace LeaderlessActors.Node.Http;

/// <summary>
/// Reads a request's store options from HTTP: <c>?r=</c> / <c>?w=</c> (one, quorum, all or a count), <c>?timeout=</c>
/// (500ms, 2s, or milliseconds), <c>?sloppy=</c> (a write's sloppy quorum), <c>?force=</c> (a DELETE without context)
/// and the <c>X-Causal-Context</c> header. Bad
/// input throws the store's own <see cref="InvalidRequestException"/>, so it is reported exactly like input the store
/// rejects (or an <see cref="HttpInputException"/> for what only HTTP has).
/// </summary>
internal static partial class RequestOptions
{
    public const string ContextHeader = "X-Causal-Context";

    public static ReadOptions Read(HttpRequest request) =>
        new() { Consistency = ConsistencyOf(request, "r"), Timeout = TimeoutOf(request) };

    public static WriteOptions Write(HttpRequest request) =>
        new() { Consistency = ConsistencyOf(request, "w"), Timeout = TimeoutOf(request), SloppyQuorum = FlagOf(request, SloppyParameter) };

    public static TimeSpan? TimeoutOf(HttpRequest request)
    {
        if (!request.Query.TryGetValue("timeout", out var values)) return null;
        var match = DurationPattern().Match(values.ToString());
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) ||
            amount == 0 || amount > 3_600_000)
            throw new InvalidRequestException(InvalidRequestReason.InvalidTimeout,
                $"timeout '{values}' is not a positive duration such as 500ms or 2s (at most an hour).");
        return match.Groups[2].Value == "s" ? TimeSpan.FromSeconds(amount) : TimeSpan.FromMilliseconds(amount);
    }

    /// <summary>The causal context header, or null when absent.</summary>
    public static CausalContext? ContextOf(HttpRequest request) =>
        request.Headers.TryGetValue(ContextHeader, out var values) ? CausalContext.Parse(values.ToString()) : null;

    /// <summary><c>?force=true</c>: a DELETE without a context deletes whatever the key holds (false when absent).</summary>
    public static bool Force(HttpRequest request) => FlagOf(request, ForceParameter) ?? false;

    public const string ForceParameter = "force";

    /// <summary><c>?sloppy=true</c>: fallback nodes may count toward W while owners are down (unset: the node's
    /// <c>leaderless.hints.sloppy-quorum</c>).</summary>
    public const string SloppyParameter = "sloppy";

    /// <summary>A true/false query parameter, or null when absent.</summary>
    private static bool? FlagOf(HttpRequest request, string name)
    {
        if (!request.Query.TryGetValue(name, out var values)) return null;
        return values.ToString() switch
        {
            "true" => true,
            "false" => false,
            var text => throw new HttpInputException(StatusCodes.Status400BadRequest, "bad_parameter", $"{name}='{text}' is not true or false."),
        };
    }

    private static Consistency? ConsistencyOf(HttpRequest request, string name)
    {
        if (!request.Query.TryGetValue(name, out var values)) return null;
        return Consistency.TryParse(values.ToString(), out var consistency)
            ? consistency
            : throw new InvalidRequestException(InvalidRequestReason.ConsistencyOutOfRange,
                $"{name}='{values}' is not one, quorum, all or a number of replicas.");
    }

    [GeneratedRegex("^([0-9]{1,10})(ms|s)?$")]
    private static partial Regex DurationPattern();
}
