using System.Diagnostics;
using System.Globalization;
using LeaderlessActors.Partitioning;

namespace LeaderlessActors.Diagnostics;

/// <summary>The span of one request made through the store's async API (see <see cref="StoreTracing"/>).</summary>
internal static class RequestSpan
{
    /// <summary>The request's span, a child of the caller's current activity; null when nobody listens (or samples it),
    /// and for an inspection, which is not traced. Tags are computed only for a span that was started.</summary>
    public static Activity? Start(IStoreRequest request, Coordination.RequestTraits traits, LeaderlessSettings settings, string node)
    {
        if (traits.IsInspection || StoreTracing.Source.StartActivity(SpanName(traits.Operation)) is not { } span) return null;
        span.SetTag(StoreTracing.NodeTag, node);
        span.SetTag(StoreTracing.KeyHashTag, KeyPartitioner.Hash(request.Key).ToString("x16", CultureInfo.InvariantCulture));
        span.SetTag(StoreTracing.PartitionTag, new KeyPartitioner(settings.PartitionCount).PartitionOf(request.Key));
        span.SetTag(StoreTracing.ConsistencyTag, traits.ConsistencyOr(settings).ToString());
        return span;
    }

    /// <summary>Tags the request's <paramref name="outcome"/>; a failure (<paramref name="error"/>, unless the outcome
    /// is not_found) ends with status Error.</summary>
    public static void Completed(Activity span, string outcome, Exception? error)
    {
        span.SetTag(StoreTracing.OutcomeTag, outcome);
        if (error is null) return;
        span.SetTag(StoreTracing.ErrorTypeTag, error.GetType().FullName);
        span.SetStatus(ActivityStatusCode.Error, outcome);
    }

    // Constant strings, so starting a span allocates no name.
    private static string SpanName(StoreOperation operation) => operation switch
    {
        StoreOperation.Put => "leaderless.put",
        StoreOperation.Delete => "leaderless.delete",
        _ => "leaderless.get",
    };
}
