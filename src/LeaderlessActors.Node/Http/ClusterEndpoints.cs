using Akka.Actor;

namespace LeaderlessActors.Node.Http;

/// <summary><c>/health</c> (200 once this node serves requests, 503 before and while leaving) and <c>/cluster</c>
/// (members, reachability and the ring).</summary>
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
    }
}
