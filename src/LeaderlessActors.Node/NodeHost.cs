using Akka.Cluster;
using Akka.Hosting;
using LeaderlessActors.Diagnostics;
using LeaderlessActors.Hosting;
using LeaderlessActors.Node.Http;
using OpenTelemetry.Metrics;

namespace LeaderlessActors.Node;

/// <summary>
/// Assembles the node: the ActorSystem with the store (through Akka.Hosting, so SIGTERM / Ctrl-C runs coordinated
/// shutdown and the node leaves the cluster), the metrics exporter and the HTTP API on Kestrel.
/// </summary>
internal static class NodeHost
{
    public static WebApplication Build(NodeConfiguration node)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        builder.WebHost.UseUrls(node.HttpUrl);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = RequestBody.KestrelLimit(node.Store.MaxValueBytes));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        builder.Services.AddAkka(NodeConfiguration.SystemName, akka =>
        {
            akka.AddHocon(node.Config, HoconAddMode.Prepend)
                .ConfigureLoggers(loggers =>
                {
                    loggers.LogLevel = Akka.Event.Logging.LogLevelFor(node.Config.GetString("akka.loglevel"));
                    loggers.ClearLoggers();
                    loggers.AddLoggerFactory();
                })
                .WithLeaderlessStore(o => o.MaxValueBytes = node.Store.MaxValueBytes)
                .AddStartup((system, _) =>
                {
                    // Without seed nodes this node forms a cluster of its own, which others can join.
                    if (!node.HasSeeds) Cluster.Get(system).Join(Cluster.Get(system).SelfAddress);
                });
        });
        builder.Services.AddHealthChecks().AddLeaderlessStore();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(StoreMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter());

        var app = builder.Build();
        app.UseBearerToken(node.AuthToken);
        app.MapKeyValueEndpoints();
        app.MapClusterEndpoints();
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
