using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LeaderlessActors.Hosting;

/// <summary>
/// ASP.NET Core health checks of the store, for <c>/health/live</c> and <c>/health/ready</c> style endpoints:
/// <c>services.AddHealthChecks().AddLeaderlessStore()</c>, then map them by tag, for example
/// <c>app.MapHealthChecks("/health/ready", new() { Predicate = c =&gt; c.Tags.Contains(LeaderlessHealthChecks.ReadyTag) })</c>.
/// </summary>
public static class LeaderlessHealthChecks
{
    /// <summary>The tag of the liveness check: the ActorSystem runs.</summary>
    public const string LiveTag = "live";

    /// <summary>The tag of the readiness check: the node serves requests (<see cref="LeaderlessStore.Health"/>).</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Adds <c>leaderless-live</c> (tagged <see cref="LiveTag"/>: unhealthy once the ActorSystem terminated, so an
    /// orchestrator restarts the process) and <c>leaderless-ready</c> (tagged <see cref="ReadyTag"/>: healthy while
    /// the node serves requests; its data carries <see cref="StoreHealth"/>'s fields). Both use the ActorSystem that
    /// <c>AddAkka</c> registers.
    /// </summary>
    public static IHealthChecksBuilder AddLeaderlessStore(this IHealthChecksBuilder builder) => builder
        .Add(new HealthCheckRegistration("leaderless-live",
            provider => new LivenessCheck(provider.GetRequiredService<ActorSystem>()), HealthStatus.Unhealthy, [LiveTag]))
        .Add(new HealthCheckRegistration("leaderless-ready",
            provider => new ReadinessCheck(provider.GetRequiredService<ActorSystem>()), HealthStatus.Unhealthy, [ReadyTag]));

    private sealed class LivenessCheck(ActorSystem system) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(system.WhenTerminated.IsCompleted
                ? HealthCheckResult.Unhealthy("The ActorSystem has terminated.")
                : HealthCheckResult.Healthy("The ActorSystem runs."));
    }

    private sealed class ReadinessCheck(ActorSystem system) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var health = LeaderlessStore.Get(system).Health;
            var data = new Dictionary<string, object>
            {
                ["status"] = health.Status,
                ["node"] = health.Node,
                ["member"] = health.Member,
                ["ringMembers"] = health.RingMembers,
                ["unreachableMembers"] = health.UnreachableMembers,
            };
            return Task.FromResult(health.Ready
                ? HealthCheckResult.Healthy($"The node serves requests ({health.Status}).", data)
                : HealthCheckResult.Unhealthy($"The node does not serve requests yet ({health.Status}).", data: data));
        }
    }
}
