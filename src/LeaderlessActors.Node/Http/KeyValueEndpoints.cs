using Akka.Actor;

namespace LeaderlessActors.Node.Http;

/// <summary>
/// <c>/kv/{key}</c>: GET, PUT and DELETE of a key with its causal context in <c>X-Causal-Context</c>, and
/// <c>/kv/{key}/replicas</c>, each replica's own state. Store errors become JSON bodies (see <see cref="ErrorResults"/>).
/// </summary>
internal static class KeyValueEndpoints
{
    private const string Json = "application/json";

    public static void MapKeyValueEndpoints(this IEndpointRouteBuilder app)
    {
        var kv = app.MapGroup("/kv").AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (Exception e) when (e is LeaderlessException or Akka.Actor.AskTimeoutException)
            {
                return ErrorResults.From(e);
            }
        });
        // {key?} so that an empty key reaches the store and is rejected as bad input, not as an unknown route.
        kv.MapGet("/{key?}", GetAsync);
        kv.MapPut("/{key?}", PutAsync);
        kv.MapDelete("/{key?}", DeleteAsync);
        kv.MapGet("/{key}/replicas", ReplicasAsync);
    }

    private static async Task<IResult> GetAsync(string? key, HttpContext http, ActorSystem system)
    {
        var result = await LeaderlessStore.Get(system).GetAsync(key ?? "", RequestOptions.Read(http.Request), http.RequestAborted);
        http.Response.Headers[RequestOptions.ContextHeader] = result.Context.ToString();
        var status = !result.Found ? StatusCodes.Status404NotFound
            : result.Values.Count > 1 ? StatusCodes.Status300MultipleChoices
            : StatusCodes.Status200OK;
        if (WantsJson(http.Request) || status == StatusCodes.Status300MultipleChoices)
            return Results.Json(ReadBody.From(key ?? "", result), statusCode: status);
        return status == StatusCodes.Status200OK
            ? Results.Bytes(result.Values[0], "application/octet-stream")
            : Results.StatusCode(status);
    }

    private static async Task<IResult> PutAsync(string? key, HttpContext http, ActorSystem system)
    {
        var store = LeaderlessStore.Get(system);
        // Options and context are checked before the body is read, so bad input is refused without taking the upload.
        var options = RequestOptions.Write(http.Request);
        var context = RequestOptions.ContextOf(http.Request);
        var value = await RequestBody.ReadAsync(http.Request, store.Settings.MaxValueBytes, http.RequestAborted);
        var result = await store.PutAsync(key ?? "", value, context, options, http.RequestAborted);
        return Written(http, result);
    }

    private static async Task<IResult> DeleteAsync(string? key, HttpContext http, ActorSystem system)
    {
        var options = RequestOptions.Write(http.Request);
        var result = await LeaderlessStore.Get(system).DeleteAsync(key ?? "", RequestOptions.ContextOf(http.Request), options,
            http.RequestAborted);
        return Written(http, result);
    }

    private static async Task<IResult> ReplicasAsync(string key, HttpContext http, ActorSystem system)
    {
        var inspection = await LeaderlessStore.Get(system).InspectAsync(key, RequestOptions.TimeoutOf(http.Request), http.RequestAborted);
        return Results.Json(ReplicasBody.From(inspection));
    }

    private static IResult Written(HttpContext http, WriteResult result)
    {
        http.Response.Headers[RequestOptions.ContextHeader] = result.Context.ToString();
        return Results.NoContent();
    }

    private static bool WantsJson(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains(Json, StringComparison.OrdinalIgnoreCase));
}
