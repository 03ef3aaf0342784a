using System.Diagnostics;
using HdrHistogram;
using LeaderlessActors.Benchmarks.Metering;

namespace LeaderlessActors.Benchmarks.Load;

/// <summary>What one measured window saw: completed operations, failures, latency in microseconds, process-wide
/// allocations and remote messages.</summary>
internal sealed record Measurement(long Operations, long Errors, TimeSpan Elapsed, HistogramBase Latency, long AllocatedBytes,
    WireCount Wire, string? FirstError)
{
    /// <summary>How long remote traffic went on after the window closed: the backlog the workload left.</summary>
    public TimeSpan Drain { get; init; }

    /// <summary>Times a node of this process saw a member become unreachable, from the window's start until the cluster
    /// was healthy again after it.</summary>
    public long UnreachableEvents { get; init; }

    /// <summary>This process's CPU time in the window, as a fraction of all cores.</summary>
    public double ProcessCpu { get; init; }

    /// <summary>How busy the whole machine was in the window (this process and everyone else's), 0 to 1.</summary>
    public double MachineBusy { get; init; }

    /// <summary>Whether this process's allocation and wire counters saw the work (and <see cref="Drain"/> was measured):
    /// false when the nodes run elsewhere and are driven over HTTP, where those figures are unknown, not zero.</summary>
    public bool Metered { get; init; } = true;

    public double OpsPerSecond => Operations / Elapsed.TotalSeconds;

    public double PercentileMs(double percentile) => Operations == 0 ? double.NaN : Latency.GetValueAtPercentile(percentile) / 1000.0;

    public double AllocatedBytesPerOp => PerOperation(AllocatedBytes);

    public double RemoteMessagesPerOp => PerOperation(Wire.Messages);

    public double RemoteBytesPerOp => PerOperation(Wire.Bytes);

    public double DrainSeconds => Metered ? Drain.TotalSeconds : double.NaN;

    private double PerOperation(long total) => Operations == 0 || !Metered ? double.NaN : (double)total / Operations;

    /// <summary>A latency histogram in microseconds up to a minute, three significant digits.</summary>
    public static HistogramBase NewHistogram() => new LongHistogram(60_000_000, 3);

    public static long ElapsedMicroseconds(long startTimestamp) =>
        Math.Max(1, (Stopwatch.GetTimestamp() - startTimestamp) * 1_000_000 / Stopwatch.Frequency);
}

/// <summary>A measured window: the clock, the allocation counter and the wire counter between start and
/// <see cref="Stop"/>. The result is taken after the clients have finished, so no histogram is read while written.</summary>
internal sealed class MeasurementWindow
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly long _allocated = GC.GetTotalAllocatedBytes(precise: false);
    private readonly WireCount _wire = WireCounter.Snapshot();
    private readonly CpuSample _cpu = CpuSample.Take();
    private (TimeSpan Elapsed, long Allocated, WireCount Wire, CpuSample Cpu)? _stopped;

    public void Stop() => _stopped ??= (Stopwatch.GetElapsedTime(_started), GC.GetTotalAllocatedBytes(precise: false) - _allocated,
        WireCounter.Snapshot() - _wire, CpuSample.Take());

    public Measurement Result(long operations, long errors, HistogramBase latency, string? firstError)
    {
        Stop();
        var (elapsed, allocated, wire, cpu) = _stopped!.Value;
        return new Measurement(operations, errors, elapsed, latency, allocated, wire, firstError)
        {
            ProcessCpu = cpu.ProcessShareSince(_cpu, elapsed),
            MachineBusy = cpu.MachineBusySince(_cpu),
        };
    }
}
