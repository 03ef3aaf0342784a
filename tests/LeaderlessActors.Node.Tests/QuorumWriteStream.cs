using System.Collections.Concurrent;
using System.Diagnostics;

namespace LeaderlessActors.Node.Tests;

/// <summary>
/// Clients that PUT unique keys (the value is the key) at quorum through the given nodes, each as fast as the node
/// answers or with a pause after each write, until stopped. Every write a node acknowledged (2xx) is recorded, and per node the longest stretch without one, so a
/// spec can tell that a node kept serving. A node that is down refuses the connection: its clients back off a little.
/// </summary>
internal sealed class QuorumWriteStream : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _acknowledged = new();
    private readonly ConcurrentDictionary<string, (int Count, string First)> _failures = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<int, (long LastAck, long LongestGap)> _gaps;
    private readonly Task[] _clients;
    private readonly TimeSpan _pause;

    private QuorumWriteStream(NodeProcesses nodes, string prefix, IReadOnlyList<int> through, int clientsPerNode, TimeSpan pause)
    {
        _pause = pause;
        var started = Stopwatch.GetTimestamp();
        _gaps = through.ToDictionary(n => n, _ => (started, 0L));
        _clients = through.SelectMany(node => Enumerable.Range(0, clientsPerNode).Select(c => Task.Run(() =>
            WriteAsync(nodes.Http[node], node, $"{prefix}-n{node}c{c}")))).ToArray();
    }

    /// <summary>Starts <paramref name="clientsPerNode"/> clients on each node of <paramref name="through"/>, each pausing
    /// <paramref name="pause"/> (none by default) after an acknowledged write.</summary>
    public static QuorumWriteStream Start(NodeProcesses nodes, string prefix, IReadOnlyList<int> through, int clientsPerNode = 2,
        TimeSpan pause = default) =>
        new(nodes, prefix, through, clientsPerNode, pause);

    public int Count => _acknowledged.Count;

    /// <summary>The keys acknowledged so far.</summary>
    public IReadOnlySet<string> Keys => _acknowledged.Keys.ToHashSet();

    /// <summary>Failed writes by node and answer (status code or exception), each with the first such key and when it
    /// was sent (seconds since the start), for a spec's message.</summary>
    public string Failures => string.Join(", ", _failures.OrderBy(f => f.Key).Select(f => $"{f.Key}: {f.Value.Count} (first {f.Value.First})"));

    /// <summary>The longest time node <paramref name="node"/> went without acknowledging a write, up to now.</summary>
    public TimeSpan LongestGap(int node)
    {
        lock (_gaps)
        {
            var (last, longest) = _gaps[node];
            return Stopwatch.GetElapsedTime(0, Math.Max(longest, Stopwatch.GetTimestamp() - last));
        }
    }

    private async Task WriteAsync(HttpClient http, int node, string prefix)
    {
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var key = $"{prefix}-{i}";
            var sent = _clock.Elapsed;
            string outcome;
            try
            {
                using var put = await http.PutKeyAsync(key, key, query: "?w=quorum");
                if (put.IsSuccessStatusCode)
                {
                    _acknowledged[key] = node;
                    Acknowledge(node);
                    if (_pause > TimeSpan.Zero) await Task.Delay(_pause);
                    continue;
                }
                var body = await put.TextAsync();
                outcome = $"{(int)put.StatusCode}";
                key += $" ({(body.Length > 300 ? body[..300] : body)})";
            }
            catch (HttpRequestException) { outcome = "connection"; } // a node that is down: nothing was acknowledged
            catch (TaskCanceledException) { outcome = "timeout"; }
            _failures.AddOrUpdate($"node {node} {outcome}", _ => (1, $"{key} at {sent.TotalSeconds:0.0} s"), (_, f) => (f.Count + 1, f.First));
            await Task.Delay(50);
        }
    }

    private void Acknowledge(int node)
    {
        lock (_gaps)
        {
            var now = Stopwatch.GetTimestamp();
            var (last, longest) = _gaps[node];
            _gaps[node] = (now, Math.Max(longest, now - last));
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync();
        _stop.Dispose();
    }
}
