using System.Net;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LeaderlessActors.Node.Tests;

/// <summary>
/// One node hosted in the test process exactly as <c>Program</c> hosts it (<see cref="NodeHost"/>), on free loopback
/// ports with memory storage and one replica per key: fast enough for fuzzing, and its store is reachable through the
/// .NET API (<see cref="Store"/>) beside its HTTP API.
/// </summary>
public sealed class InProcessNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _configFile;

    private InProcessNode(WebApplication app, string configFile, int remotePort, HttpClient http)
    {
        _app = app;
        _configFile = configFile;
        RemotePort = remotePort;
        Http = http;
    }

    public HttpClient Http { get; }

    public int RemotePort { get; }

    public LeaderlessStore Store => LeaderlessStore.Get(_app.Services.GetRequiredService<ActorSystem>());

    /// <summary>Starts the node and waits until its /health answers 200.</summary>
    /// <param name="authToken">The node's bearer token, or null for an open API.</param>
    /// <param name="extraConfig">More HOCON for the node's --config file.</param>
    internal static async Task<InProcessNode> StartAsync(string? authToken = null, string extraConfig = "")
    {
        var ports = NodeProcesses.FreePorts(2);
        var configFile = Path.Combine(Path.GetTempPath(), $"leaderless-inprocess-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(configFile, $"""
            akka.loglevel = WARNING
            akka.cluster.seed-node-timeout = 1s
            leaderless.replication-factor = 1
            leaderless.max-value-bytes = 65536
            leaderless.request-timeout = 15s
            {extraConfig}
            """);
        var options = new NodeOptions("127.0.0.1", ports[0], null, ports[1], null, null, StorageBackend.Memory, null, configFile,
            AuthToken: authToken);
        var app = NodeHost.Build(NodeConfiguration.Load(options));
        await app.StartAsync();
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports[1]}"), Timeout = TimeSpan.FromSeconds(30) };
        var node = new InProcessNode(app, configFile, ports[0], http);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (true)
            {
                using (var health = await http.GetAsync("/health", timeout.Token))
                    if (health.StatusCode == HttpStatusCode.OK) return node;
                await Task.Delay(100, timeout.Token);
            }
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        File.Delete(_configFile);
    }
}
