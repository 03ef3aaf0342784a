using LeaderlessActors.Diagnostics;
using LeaderlessActors.TestSupport;
using Xunit;

namespace LeaderlessActors.Tests.Diagnostics;

/// <summary>Reads what one observable instrument of a store's meter reports now.</summary>
internal static class MetricsObserver
{
    /// <summary>The one value <paramref name="instrument"/> of <paramref name="metrics"/> reports now.</summary>
    public static T Observe<T>(StoreMetrics metrics, string instrument) where T : struct => Observe<T>(metrics, instrument, tag: null);

    /// <summary>The one value <paramref name="instrument"/> of <paramref name="metrics"/> reports now with
    /// <paramref name="tag"/> (any tags when null).</summary>
    public static T Observe<T>(StoreMetrics metrics, string instrument, KeyValuePair<string, object?>? tag) where T : struct =>
        Assert.Single(MeterReadings.Read<T>([metrics.Meter], instrument, tag));
}
