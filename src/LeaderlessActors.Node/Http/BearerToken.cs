using System.Security.Cryptography;
using System.Text;

namespace LeaderlessActors.Node.Http;

/// <summary>
/// The optional bearer token of the HTTP API (<c>--auth-token</c>, <c>leaderless-node.http.auth-token</c>): when set,
/// every request but <c>/health</c> and <c>/health/*</c> (which orchestrators probe without credentials) needs
/// <c>Authorization: Bearer &lt;token&gt;</c>, or it is answered 401 with problem details before any endpoint runs.
/// </summary>
internal static class BearerToken
{
    public static void UseBearerToken(this WebApplication app, string token)
    {
        if (token.Length == 0) return;
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        app.Use(async (http, next) =>
        {
            if (IsOpen(http.Request.Path) || Presents(http.Request, expected))
            {
                await next(http);
                return;
            }
            await ErrorResults.Unauthorized().ExecuteAsync(http);
        });
    }

    private static bool IsOpen(PathString path) =>
        path.Equals("/health", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);

    // Hashing both sides first makes the comparison constant-time in the token's length as well as its content.
    private static bool Presents(HttpRequest request, byte[] expected)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, expected);
    }
}
