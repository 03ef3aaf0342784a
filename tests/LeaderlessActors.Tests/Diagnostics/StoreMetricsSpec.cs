using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Akka.Actor;
using LeaderlessActors.Diagnostics;
using Xunit;

namespace LeaderlessActors.Tests.Diagnostics;

public sealed class StoreMetricsSpec
{
    private const string LocalStore = "leaderless { replication-factor = 1, storage.backend = memory }";

    [Fact]
    public async Task Two_stores_in_one_process_report_their_requests_apart_under_their_own_node_tag()
    {
        var requests = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == StoreMetrics.MeterName && instrument.Name == "leaderless.requests") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            requests.AddOrUpdate(NodeOf(instrument.Meter), value, (_, total) => total + value));
        listener.Start();

        var first = ActorSystem.Create("metrics-first", LocalStore);
        var second = ActorSystem.Create("metrics-second", LocalStore);
        try
        {
            var stores = new[] { (Store: LeaderlessStore.Get(first), Keys: 3), (Store: LeaderlessStore.Get(second), Keys: 5) };
            // The journal opens slowly on a loaded machine: a first put could miss its 5 s deadline while it does.
            await Task.WhenAll(stores.Select(s => s.Store.StorageReady)).WaitAsync(TimeSpan.FromSeconds(60));
            foreach (var (store, keys) in stores)
                for (var i = 0; i < keys; i++) await store.PutAsync($"key-{i}", [1]);

            foreach (var (store, keys) in stores)
            {
                Assert.Equal(store.Ring.Self.ToString(), NodeOf(store.Metrics.Meter));
                Assert.Equal(keys, requests.GetValueOrDefault(NodeOf(store.Metrics.Meter)));
            }
        }
        finally
        {
            await Task.WhenAll(first.Terminate(), second.Terminate());
        }
    }

    [Fact]
    public async Task A_stores_meter_comes_from_the_given_factory_and_a_terminated_store_disposes_only_its_own()
    {
        using var factory = new TestMeterFactory();
        var fromFactory = ActorSystem.Create("metrics-factory", LocalStore);
        fromFactory.RegisterExtension(new LeaderlessStoreProvider(factory));
        var own = ActorSystem.Create("metrics-own", LocalStore);
        var factoryMeter = LeaderlessStore.Get(fromFactory).Metrics.Meter;
        var ownMeter = LeaderlessStore.Get(own).Metrics.Meter;

        Assert.Same(factory, factoryMeter.Scope);
        Assert.Null(ownMeter.Scope);
        await Task.WhenAll(fromFactory.Terminate(), own.Terminate());

        // Termination callbacks may still be running when Terminate's task completes.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Published().Contains(ownMeter) && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.DoesNotContain(ownMeter, Published());     // disposed with its store
        Assert.Contains(factoryMeter, Published());       // the factory's, until the container is disposed
    }

    /// <summary>The meters whose instruments a new listener is told of: those not disposed.</summary>
    private static HashSet<Meter> Published()
    {
        var published = new HashSet<Meter>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, _) => published.Add(instrument.Meter);
        listener.Start();
        return published;
    }

    /// <summary>A dependency-injection container's factory, as far as the store sees it: it makes and owns meters.</summary>
    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly ConcurrentBag<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            options.Scope = this;
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in _meters) meter.Dispose();
        }
    }

    private static string NodeOf(Meter meter) =>
        meter.Tags?.SingleOrDefault(t => t.Key == StoreMetrics.NodeTag).Value as string ?? "(no node tag)";
}
