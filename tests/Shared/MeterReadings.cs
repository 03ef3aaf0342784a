using System.Diagnostics.Metrics;

namespace LeaderlessActors.TestSupport;

/// <summary>What the observable instruments of some meters report now, read through a <see cref="MeterListener"/>.
/// Compiled into each test project that needs it (a linked file).</summary>
internal static class MeterReadings
{
    /// <summary>Every value <paramref name="instrument"/> of <paramref name="meters"/> reports now, one per meter and tag
    /// set, keeping those with <paramref name="tag"/> (all when null).</summary>
    public static List<T> Read<T>(IReadOnlyCollection<Meter> meters, string instrument, KeyValuePair<string, object?>? tag = null)
        where T : struct
    {
        var values = new List<T>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (meters.Contains(i.Meter) && i.Name == instrument) l.EnableMeasurementEvents(i);
        };
        listener.SetMeasurementEventCallback<T>((_, value, tags, _) =>
        {
            if (tag is null || tags.ToArray().Contains(tag.Value)) values.Add(value);
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }
}
