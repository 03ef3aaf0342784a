using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using LeaderlessActors.Diagnostics;

namespace LeaderlessActors.Demo;

/// <summary>Reads the store's own metrics (the "LeaderlessActors" meters) the way any metrics listener would.</summary>
internal sealed class StoreCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    // Each node's store has its own meter, so each its own read-repair instrument. A crashed node's last total stays in
    // the sum: the repairs it sent happened.
    private readonly ConcurrentDictionary<Instrument, long> _readRepairs = new();

    public StoreCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == StoreMetrics.MeterName && instrument.Name == "leaderless.read_repairs")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, total, _, _) => _readRepairs[instrument] = total);
        _listener.Start();
    }

    /// <summary>Repair writes sent to stale replicas so far, by every node in this process.</summary>
    public long ReadRepairs
    {
        get
        {
            _listener.RecordObservableInstruments();
            return _readRepairs.Values.Sum();
        }
    }

    public void Dispose() => _listener.Dispose();
}
