using Microsoft.AspNetCore.Http.Features;

namespace LeaderlessActors.Node.Http;

/// <summary>
/// The key of <c>/kv/{key}</c> and <c>/kv/{key}/replicas</c>, percent-decoded exactly once from the raw request target.
/// Kestrel decodes the path but leaves <c>%2F</c> alone (so that it does not become a separator), which makes the route
/// value ambiguous: <c>a%2Fb</c> and <c>a%252Fb</c> both arrive as <c>a%2Fb</c>. Decoding the raw segment ourselves
/// gives <c>a/b</c> and <c>a%2Fb</c>, the keys the .NET API would use.
/// </summary>
internal static class KeyPath
{
    public static string KeyOf(HttpContext http)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? "";
        if (!raw.StartsWith('/') && Uri.TryCreate(raw, UriKind.Absolute, out var absolute)) raw = absolute.AbsolutePath; // absolute-form target
        var end = raw.IndexOfAny(['?', '#']);
        var segments = (end < 0 ? raw : raw[..end]).Split('/');
        // Kestrel resolves dot segments (also percent-encoded ones) in the path it routes by, not in the raw target: the
        // two would disagree, so such paths are refused, and the keys "." and ".." cannot be reached over HTTP.
        if (segments.Any(s => Uri.UnescapeDataString(s) is "." or ".."))
            throw new HttpInputException(StatusCodes.Status400BadRequest, "bad_key", "The path has a '.' or '..' segment; the keys '.' and '..' cannot be used over HTTP.");
        return segments.Length > 2 ? Uri.UnescapeDataString(segments[2]) : "";
    }
}
