namespace LeaderlessActors.Node;

/// <summary>
/// <c>LeaderlessActors.Node.dll health-check [url]</c>: exits 0 when the node's <c>/health</c> answers 200, else 1. The
/// Docker image's HEALTHCHECK runs it, as the image has no curl. The default URL is this container's own HTTP port
/// (<c>LEADERLESS_HTTP_PORT</c>, else 8080) on loopback.
/// </summary>
internal static class HealthProbe
{
    public const string Command = "health-check";

    public static async Task<int> RunAsync(string[] args, Func<string, string?> environment)
    {
        var url = args.Length > 0 ? args[0] : $"http://127.0.0.1:{environment("LEADERLESS_HTTP_PORT") ?? "8080"}/health";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(url);
            Console.WriteLine($"{url}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException or InvalidOperationException)
        {
            Console.Error.WriteLine($"{url}: {e.Message}");
            return 1;
        }
    }
}
