using LeaderlessActors.Benchmarks.Load;
using System.Net.Http.Headers;
using LeaderlessActors.Benchmarks.Targets;

namespace LeaderlessActors.Benchmarks.Http;

/// <summary>
/// The store through the node's HTTP API (<c>PUT</c>/<c>GET /kv/{key}?w=|r=</c>), for the readiness check and the
/// preload; the measured load comes from wrk. Like <see cref="StoreTarget"/> it keeps each key's last
/// <c>X-Causal-Context</c> and sends it with the key's next write, so keys keep one version; wrk's writes start from
/// these contexts and hand theirs back (<see cref="Learn"/>).
/// </summary>
internal sealed class HttpTarget(IReadOnlyList<HttpClient> nodes, KeySpace keys) : IKeyValueTarget
{
    public const string ContextHeader = "X-Causal-Context";

    private readonly string?[] _contexts = new string?[keys.Count];

    public int Nodes => nodes.Count;

    public string LevelName(Level level) => level.ToString().ToLowerInvariant();

    // As for the store in-process: the node that takes the request coordinates it with the node's defaults.
    public double RemoteRoundTrips(Workload workload) => StoreRoundTrips.Of(workload);

    /// <summary>The last context seen for each key (null: none yet).</summary>
    public IReadOnlyList<string?> Contexts => _contexts;

    public void Learn(int key, string context) => Volatile.Write(ref _contexts[key], context);

    public async Task PutAsync(int node, int key, Level level)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"kv/{keys.Keys[key]}?w={LevelName(level)}")
        {
            Content = new ByteArrayContent(keys.Value) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } },
        };
        if (Volatile.Read(ref _contexts[key]) is { } context) request.Headers.Add(ContextHeader, context);
        using var response = await nodes[node].SendAsync(request);
        await RememberAsync(key, response);
    }

    public async Task GetAsync(int node, int key, Level level)
    {
        using var response = await nodes[node].GetAsync($"kv/{keys.Keys[key]}?r={LevelName(level)}");
        await RememberAsync(key, response);
    }

    private async Task RememberAsync(int key, HttpResponseMessage response)
    {
        // Only 2xx counts: a 300 (siblings) or 404 on a preloaded key is as much a failure as a 503.
        if ((int)response.StatusCode is < 200 or > 299)
            throw new HttpRequestException($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}", null, response.StatusCode);
        if (response.Headers.TryGetValues(ContextHeader, out var values)) Learn(key, values.First());
    }
}
