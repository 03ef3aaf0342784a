using System.Diagnostics;

namespace LeaderlessActors.Coordination;

/// <summary>
/// A node's estimate of the 99th percentile of its replica read round trips (a coordinator's <c>ReadKey</c> to the
/// replica's answer), which is how long a hedging read waits before it asks the replicas it left out (Cassandra's
/// speculative retry at 99p). One per gateway, shared by its coordinators, which run on any thread: the estimate is one
/// double updated by compare-and-swap, so a sample costs no lock and no allocation.
/// </summary>
/// <remarks>
/// The estimate moves by a fixed fraction of itself per sample: up by 99 steps when a sample is above it, down by 1 when
/// below, so it rests where 1% of the samples lie above it (a frugal streaming quantile). Being multiplicative, it follows
/// the scale of the latencies (doubling after ~7 slow samples in a row, halving over ~700 fast ones) and it forgets old
/// samples without a window to keep. It stays within the configured floor and ceiling, so a fast cluster does not hedge
/// on every hiccup and a slow owner costs a read at most the ceiling. A fixed delay (<c>speculative-retry =
/// &lt;duration&gt;</c>) ignores the samples.
/// </remarks>
internal sealed class ReadLatencyTracker
{
    // The fraction of the estimate one step moves it by; 99 steps up for a slow sample, 1 down for a fast one.
    private const double Step = 0.001;
    private const double Percentile = 0.99;

    private readonly double _minTicks;
    private readonly double _maxTicks;
    private readonly bool _fixed;
    private double _estimateTicks;

    public ReadLatencyTracker(ReadHedgingSettings settings)
    {
        _fixed = settings.FixedDelay is not null;
        _minTicks = settings.MinDelay.Ticks;
        _maxTicks = settings.MaxDelay.Ticks;
        // Until samples say otherwise, assume reads are slow: a cold node hedges little rather than on every read.
        _estimateTicks = settings.FixedDelay?.Ticks ?? _maxTicks;
    }

    /// <summary>How long a read waits for its first R replicas before it asks the others.</summary>
    public TimeSpan Delay => TimeSpan.FromTicks((long)Volatile.Read(ref _estimateTicks));

    /// <summary>A replica answered a read <paramref name="elapsed"/> after it was asked.</summary>
    public void Record(TimeSpan elapsed)
    {
        if (_fixed) return;
        double sample = elapsed.Ticks, seen, next;
        do
        {
            seen = Volatile.Read(ref _estimateTicks);
            next = seen * (sample > seen ? 1 + Step * Percentile / (1 - Percentile) : 1 - Step);
            next = Math.Clamp(next, _minTicks, _maxTicks);
            if (next == seen) return;
        } while (Interlocked.CompareExchange(ref _estimateTicks, next, seen) != seen);
    }

    /// <summary><see cref="Record(TimeSpan)"/> from a <see cref="Stopwatch.GetTimestamp"/> taken when the replica was asked.</summary>
    public void RecordSince(long askedTimestamp) => Record(Stopwatch.GetElapsedTime(askedTimestamp));
}
