using System.Diagnostics.Metrics;
using LeaderlessActors.Diagnostics;
using Xunit;

namespace LeaderlessActors.Tests.Diagnostics;

/// <summary>Reads what one observable instrument of a store's meter reports now.</summary>
internal static class MetricsObserver
{
    /// <summary>The one value <paramref name="instrument"/> of <paramref name="metrics"/> reports now.</summary>
    public static T Observe<T>(StoreMetrics metrics, string instrument) where T : struct => Observe<T>(metrics, instrument, tag: null);

    /// <summary>The one value <paramref name="instrument"/> of <paramref name="metrics"/> reports now with
    /// <paramref name="tag"/> (any tags when null).</summary>
    public static T Observe<T>(StoreMetrics metrics, string instrument, KeyValuePair<string, object?>? tag) where T : struct
    {
        var values = new List<T>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter == metrics.Meter && i.Name == instrument) l.EnableMeasurementEvents(i);
        };
        listener.SetMeasurementEventCallback<T>((_, value, tags, _) =>
        {
            if (tag is null || tags.ToArray().Contains(tag.Value)) values.Add(value);
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return Assert.Single(values);
    }
}
