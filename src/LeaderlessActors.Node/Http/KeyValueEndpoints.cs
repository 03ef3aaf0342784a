using Akka.Actor;

namespace LeaderlessActors.Node.Http;

/// <summary>
/// <c>/kv/{key}</c>: GET, PUT and DELETE of a key with its causal context in <c>X-Causal-Context</c>, and
/// <c>/kv/{key}/replicas</c>, each replica's own state. The key is read from the raw path (<see cref="KeyPath"/>). Store
/// errors become problem details (see <see cref="ErrorResults"/>).
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
            catch (Exception e) when (e is LeaderlessException or HttpInputException or Akka.Actor.AskTimeoutException)
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

    private static async Task<IResult> GetAsync(HttpContext http, ActorSystem system)
    {
        var key = KeyPath.KeyOf(http);
        var result = await LeaderlessStore.Get(system).GetAsync(key, RequestOptions.Read(http.Request), http.RequestAborted);
        http.Response.Headers[RequestOptions.ContextHeader] = result.Context.ToString();
        var status = !result.Found ? StatusCodes.Status404NotFound
            : result.Values.Count > 1 ? StatusCodes.Status300MultipleChoices
            : StatusCodes.Status200OK;
        if (WantsJson(http.Request) || status == StatusCodes.Status300MultipleChoices)
            return Results.Json(ReadBody.From(key, result), statusCode: status);
        return status == StatusCodes.Status200OK
            ? Results.Bytes(result.Values[0], "application/octet-stream")
            : Results.StatusCode(status);
    }

    private static async Task<IResult> PutAsync(HttpContext http, ActorSystem system)
    {
        var key = KeyPath.KeyOf(http);
        var store = LeaderlessStore.Get(system);
        // Options and context are checked before the body is read, so bad input is refused without taking the upload.
        var options = RequestOptions.Write(http.Request);
        var context = RequestOptions.ContextOf(http.Request);
        var value = await RequestBody.ReadAsync(http.Request, store.Settings.MaxValueBytes, http.RequestAborted);
        var result = await store.PutAsync(key, value, context, options, http.RequestAborted);
        return Written(http, result);
    }

    /// <summary>
    /// A delete needs the context of a read: without one its tombstone would be concurrent with the value, which stays.
    /// So a DELETE without <c>X-Causal-Context</c> is refused with 428, unless <c>?force=true</c> asks to delete whatever
    /// is there: a read at the request's consistency, then a delete with that read's context.
    /// </summary>
    private static async Task<IResult> DeleteAsync(HttpContext http, ActorSystem system)
    {
        var key = KeyPath.KeyOf(http);
        var store = LeaderlessStore.Get(system);
        var options = RequestOptions.Write(http.Request);
        var context = RequestOptions.ContextOf(http.Request);
        var force = RequestOptions.Force(http.Request);
        if (context is null)
        {
            if (!force)
                throw new HttpInputException(StatusCodes.Status428PreconditionRequired, "context_required",
                    $"A DELETE needs the {RequestOptions.ContextHeader} of a read (or ?{RequestOptions.ForceParameter}=true to delete whatever is there).");
            var read = await store.GetAsync(key, new ReadOptions { Consistency = options.Consistency, Timeout = options.Timeout }, http.RequestAborted);
            context = read.Context;
        }
        var result = await store.DeleteAsync(key, context, options, http.RequestAborted);
        return Written(http, result);
    }

    private static async Task<IResult> ReplicasAsync(HttpContext http, ActorSystem system)
    {
        var inspection = await LeaderlessStore.Get(system).InspectAsync(KeyPath.KeyOf(http), RequestOptions.TimeoutOf(http.Request), http.RequestAborted);
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
