using System.Diagnostics.Metrics;
using Akka.Actor;
using LeaderlessActors.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace LeaderlessActors.Tests.Diagnostics;

/// <summary>The store's metrics read time from the store's injected clock, never from the wall clock.</summary>
public sealed class StoreClockSpec
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero));

    [Fact]
    public void The_oldest_hint_age_is_how_far_the_injected_clock_moved_since_the_hint_was_created()
    {
        var metrics = new StoreMetrics("node-a", meterFactory: null, _clock);
        try
        {
            var hintStore = new object();
            metrics.OldestHintChanged(hintStore, _clock.GetUtcNow().UtcDateTime);
            _clock.Advance(TimeSpan.FromSeconds(90));
            Assert.Equal(90, Observe<double>(metrics, "leaderless.hints.oldest_age"));

            metrics.OldestHintChanged(hintStore, null);
            Assert.Equal(0, Observe<double>(metrics, "leaderless.hints.oldest_age"));
        }
        finally
        {
            metrics.Dispose();
        }
    }

    [Fact]
    public void The_age_of_a_partitions_last_exchange_is_read_from_the_injected_clock()
    {
        var metrics = new StoreMetrics("node-a", meterFactory: null, _clock);
        try
        {
            metrics.AntiEntropyExchangeEnded(partition: 7, completed: true, keysRepaired: 0, bytes: 0);
            _clock.Advance(TimeSpan.FromMinutes(5));
            Assert.Equal(300, Observe<double>(metrics, "leaderless.anti_entropy.last_exchange_age"));
        }
        finally
        {
            metrics.Dispose();
        }
    }

    [Fact]
    public async Task A_store_started_with_a_clock_times_its_requests_by_it()
    {
        var system = ActorSystem.Create("store-clock", "leaderless { replication-factor = 1, storage.backend = memory }");
        try
        {
            // A clock that never moves: every request takes no time by it, whatever the wall clock says.
            system.RegisterExtension(new LeaderlessStoreProvider(meterFactory: null, _clock));
            var store = LeaderlessStore.Get(system);
            await store.StorageReady.WaitAsync(TimeSpan.FromSeconds(60)); // the journal opens slowly on a loaded machine
            var durations = new List<double>();
            using var listener = new MeterListener();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == store.Metrics.Meter && instrument.Name == "leaderless.request.duration") l.EnableMeasurementEvents(instrument);
            };
            listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
            {
                lock (durations) durations.Add(value);
            });
            listener.Start();

            await store.PutAsync("key", [1]);
            await store.GetAsync("key");

            lock (durations) Assert.Equal([0d, 0d], durations);
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static T Observe<T>(StoreMetrics metrics, string instrument) where T : struct => MetricsObserver.Observe<T>(metrics, instrument);
}
