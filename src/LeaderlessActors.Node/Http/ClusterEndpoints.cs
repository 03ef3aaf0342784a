using Akka.Actor;

namespace LeaderlessActors.Node.Http;

/// <summary><c>/health</c> (200 once this node serves requests, 503 before and while leaving) and <c>/cluster</c>
/// (members, reachability and the ring), <c>/cluster/handoffs</c> (partitions moving to new owners).</summary>
internal static class ClusterEndpoints
{
    public static void MapClusterEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", (ActorSystem system) =>
        {
            var health = NodeHealth.Of(system);
            return Results.Json(health, statusCode: health.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        app.MapGet("/cluster", (ActorSystem system) => Results.Json(ClusterView.Of(system)));
        // Kept apart from /cluster: the partitions moving to new owners and how far their fill is.
        app.MapGet("/cluster/handoffs", (ActorSystem system) => Results.Json(HandoffsView.Of(system)));
    }
}
