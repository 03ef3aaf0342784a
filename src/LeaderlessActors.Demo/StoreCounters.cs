using System.Diagnostics.Metrics;
using LeaderlessActors.Diagnostics;

namespace LeaderlessActors.Demo;

/// <summary>Reads the store's own metrics (the "LeaderlessActors" meter) the way any metrics listener would.</summary>
internal sealed class StoreCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _readRepairs;

    public StoreCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == StoreMetrics.MeterName && instrument.Name == "leaderless.read_repairs")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, total, _, _) => Interlocked.Exchange(ref _readRepairs, total));
        _listener.Start();
    }

    /// <summary>Repair writes sent to stale replicas so far, by every node in this process.</summary>
    public long ReadRepairs
    {
        get
        {
            _listener.RecordObservableInstruments();
            return Interlocked.Read(ref _readRepairs);
        }
    }

    public void Dispose() => _listener.Dispose();
}
