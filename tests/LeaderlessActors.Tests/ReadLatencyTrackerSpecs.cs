using LeaderlessActors.Coordination;
using Xunit;

namespace LeaderlessActors.Tests;

/// <summary><see cref="ReadLatencyTracker"/>: the hedge delay follows the 99th percentile of read round trips, within its
/// floor and ceiling.</summary>
public sealed class ReadLatencyTrackerSpecs
{
    private static ReadLatencyTracker Tracker(int minMs = 1, int maxMs = 1000, TimeSpan? fixedDelay = null) => new(new ReadHedgingSettings
    {
        Enabled = true,
        FixedDelay = fixedDelay,
        MinDelay = TimeSpan.FromMilliseconds(minMs),
        MaxDelay = TimeSpan.FromMilliseconds(maxMs),
    });

    [Fact]
    public void The_delay_starts_at_the_ceiling_so_a_cold_node_hedges_little()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(200), Tracker(maxMs: 200).Delay);
    }

    [Fact]
    public void The_delay_settles_near_the_99th_percentile_of_the_round_trips()
    {
        var tracker = Tracker();
        var random = new Random(12);
        // Uniform over 0..100 ms: the 99th percentile is 99 ms.
        for (var i = 0; i < 200_000; i++) tracker.Record(TimeSpan.FromMilliseconds(random.NextDouble() * 100));
        Assert.InRange(tracker.Delay.TotalMilliseconds, 85, 110);
    }

    [Fact]
    public void The_delay_rises_within_a_few_slow_round_trips_and_falls_over_many_fast_ones()
    {
        var tracker = Tracker();
        for (var i = 0; i < 20_000; i++) tracker.Record(TimeSpan.FromMilliseconds(5));
        Assert.InRange(tracker.Delay.TotalMilliseconds, 4, 6);

        for (var i = 0; i < 10; i++) tracker.Record(TimeSpan.FromMilliseconds(100));
        Assert.InRange(tracker.Delay.TotalMilliseconds, 10, 15); // 1.099^10 ~ 2.6 times up in ten samples
    }

    [Fact]
    public void The_delay_stays_within_the_floor_and_the_ceiling()
    {
        var tracker = Tracker(minMs: 2, maxMs: 50);
        for (var i = 0; i < 100; i++) tracker.Record(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromMilliseconds(50), tracker.Delay);
        for (var i = 0; i < 20_000; i++) tracker.Record(TimeSpan.FromMilliseconds(0.1));
        Assert.Equal(TimeSpan.FromMilliseconds(2), tracker.Delay);
    }

    [Fact]
    public void A_fixed_delay_ignores_the_round_trips()
    {
        var tracker = Tracker(fixedDelay: TimeSpan.FromMilliseconds(20));
        for (var i = 0; i < 1000; i++) tracker.Record(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromMilliseconds(20), tracker.Delay);
    }

    [Fact]
    public void Samples_from_many_threads_at_once_keep_the_delay_within_its_bounds()
    {
        var tracker = Tracker(minMs: 2, maxMs: 50);
        Parallel.For(0, 8, t =>
        {
            for (var i = 0; i < 50_000; i++) tracker.Record(TimeSpan.FromMilliseconds(t % 2 == 0 ? 1 : 10));
        });
        Assert.InRange(tracker.Delay.TotalMilliseconds, 2, 50);
    }
}
