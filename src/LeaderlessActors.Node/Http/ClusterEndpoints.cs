using Akka.Actor;
using LeaderlessActors.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace LeaderlessActors.Node.Http;

/// <summary><c>/health</c> (200 once this node serves requests, 503 before and while leaving, with the store's
/// <see cref="StoreHealth"/> as JSON), <c>/health/live</c> and <c>/health/ready</c> (the Hosting package's health checks,
/// which an embedding application maps the same way) and <c>/cluster</c> (members, reachability and the ring).</summary>
internal static class ClusterEndpoints
{
    public static void MapClusterEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", (ActorSystem system) =>
        {
            var health = LeaderlessStore.Get(system).Health;
            return Results.Json(health, statusCode: health.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains(LeaderlessHealthChecks.LiveTag) });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(LeaderlessHealthChecks.ReadyTag) });
        app.MapGet("/cluster", (ActorSystem system) => Results.Json(ClusterView.Of(system)));
    }
}
