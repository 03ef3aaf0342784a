using Akka.Actor;
using LeaderlessActors.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace LeaderlessActors.Node.Http;

/// <summary><c>/health</c> (200 once this node serves requests, 503 before and while leaving, with the store's
/// <see cref="StoreHealth"/> as JSON), <c>/health/live</c> and <c>/health/ready</c> (the Hosting package's health checks,
/// which an embedding application maps the same way), <c>/cluster</c> (members, reachability and the ring), <c>/cluster/handoffs</c> (partitions moving to new
/// owners) and
/// <c>POST /admin/ring/remove/{node}</c> (an operator's removal of a dead owner, answered with the ring after it).</summary>
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
        // An operator's removal of a dead owner (host:port); a reachable member is refused with 409.
        app.MapPost("/admin/ring/remove/{node}", async (string node, ActorSystem system, CancellationToken cancellation) =>
        {
            try
            {
                await LeaderlessStore.Get(system).RemoveFromRingAsync(node, cancellation);
                return Results.Json(ClusterView.Of(system).Ring);
            }
            catch (RingRemovalRefusedException refused)
            {
                return ErrorResults.From(refused);
            }
            catch (AskTimeoutException)
            {
                // The removal may still be applied: asking again is safe (removing a removed node changes nothing).
                return ErrorResults.From(new HttpInputException(StatusCodes.Status504GatewayTimeout, "timeout",
                    $"The node did not answer the removal of '{node}' in time; it may still apply it. Ask again to find out."));
            }
        });

        // Kept apart from /cluster: the partitions moving to new owners and how far their fill is.
        app.MapGet("/cluster/handoffs", (ActorSystem system) => Results.Json(HandoffsView.Of(system)));
    }
}
