using System.Diagnostics.Metrics;
using System.Text;
using Akka.Actor;
using Akka.Hosting;
using LeaderlessActors.Diagnostics;
using LeaderlessActors.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace LeaderlessActors.Hosting.Tests;

public class WithLeaderlessStoreSpec
{
    private static IHost Build(Action<LeaderlessStoreOptions> configure, Action<IServiceCollection>? services = null) =>
        Host.CreateDefaultBuilder()
            .ConfigureServices(s =>
            {
                services?.Invoke(s);
                s.AddAkka("app", builder => builder.WithLeaderlessStore(configure));
            })
            .Build();

    [Fact]
    public async Task The_store_starts_with_the_options_and_serves_requests_through_the_host()
    {
        using var host = Build(o =>
        {
            o.ReplicationFactor = 1;
            o.ReadConsistency = Consistency.One;
            o.RequestTimeout = TimeSpan.FromSeconds(3);
            o.Storage = StorageBackend.Memory;
        });
        await host.StartAsync();
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            var store = LeaderlessStore.Get(system);
            Assert.Equal(1, store.Settings.ReplicationFactor);
            Assert.Equal(Consistency.One, store.Settings.ReadConsistency);
            Assert.Equal(TimeSpan.FromSeconds(3), store.Settings.RequestTimeout);
            Assert.Equal(StorageBackend.Memory, store.Settings.Storage.Backend);
            Assert.Equal(store.Gateway, await host.Services.GetRequiredService<ActorRegistry>().GetAsync<LeaderlessStore>());

            await store.PutAsync("greeting", Encoding.UTF8.GetBytes("hello"));
            var read = await store.GetAsync("greeting");
            Assert.Equal("hello", Encoding.UTF8.GetString(Assert.Single(read.Values)));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task The_stores_meter_is_made_by_the_containers_meter_factory_and_tagged_with_its_node()
    {
        using var host = Build(o =>
        {
            o.ReplicationFactor = 1;
            o.Storage = StorageBackend.Memory;
        });
        await host.StartAsync();
        try
        {
            var store = LeaderlessStore.Get(host.Services.GetRequiredService<ActorSystem>());
            var meter = store.Metrics.Meter;
            Assert.Same(host.Services.GetRequiredService<IMeterFactory>(), meter.Scope);
            Assert.Equal(StoreMetrics.MeterName, meter.Name);
            Assert.Contains(meter.Tags!, t => t.Key == StoreMetrics.NodeTag && Equals(t.Value, store.Ring.Self.ToString()));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task The_containers_TimeProvider_is_the_stores_clock()
    {
        var clock = new StoppedClock();
        using var host = Build(o =>
        {
            o.ReplicationFactor = 1;
            o.Storage = StorageBackend.Memory;
        }, services => services.AddSingleton<TimeProvider>(clock));
        await host.StartAsync();
        try
        {
            Assert.Same(clock, LeaderlessStore.Get(host.Services.GetRequiredService<ActorSystem>()).Clock);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>A clock stopped at one instant.</summary>
    private sealed class StoppedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2001, 2, 3, 4, 5, 6, TimeSpan.Zero);

        public override long GetTimestamp() => 0;
    }

    [Fact]
    public async Task Remote_frames_are_sized_for_the_largest_value_unless_the_application_sets_them()
    {
        using var host = Build(o =>
        {
            o.ReplicationFactor = 1;
            o.Storage = StorageBackend.Memory;
            o.MaxValueBytes = 4 * 1024 * 1024;
        });
        await host.StartAsync();
        try
        {
            var config = host.Services.GetRequiredService<ActorSystem>().Settings.Config;
            Assert.True(config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size") > 4 * 1024 * 1024);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task The_store_is_offered_to_dependency_injection_as_ILeaderlessStore()
    {
        using var host = Host.CreateDefaultBuilder()
            .ConfigureServices(services => services
                .AddAkka("app", builder => builder.WithLeaderlessStore(new LeaderlessStoreOptions
                {
                    ReplicationFactor = 1,
                    Storage = StorageBackend.Memory,
                }))
                .AddLeaderlessStore())
            .Build();
        await host.StartAsync();
        try
        {
            var store = host.Services.GetRequiredService<ILeaderlessStore>();
            Assert.Same(LeaderlessStore.Get(host.Services.GetRequiredService<ActorSystem>()), store);

            await store.PutAsync("injected", [7]);
            Assert.Equal([7], Assert.Single((await store.GetAsync("injected")).Values));
            await store.StorageReady;
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task The_health_checks_report_a_live_and_ready_node_and_an_unlive_one_after_its_system_terminated()
    {
        using var host = Host.CreateDefaultBuilder()
            .ConfigureServices(services =>
            {
                services.AddAkka("app", builder => builder.WithLeaderlessStore(o =>
                {
                    o.ReplicationFactor = 1;
                    o.Storage = StorageBackend.Memory;
                }));
                services.AddHealthChecks().AddLeaderlessStore();
            })
            .Build();
        await host.StartAsync();
        try
        {
            var checks = host.Services.GetRequiredService<HealthCheckService>();
            var system = host.Services.GetRequiredService<ActorSystem>();
            await LeaderlessStore.Get(system).StorageReady;

            var ready = await checks.CheckHealthAsync(c => c.Tags.Contains(LeaderlessHealthChecks.ReadyTag));
            Assert.Equal(HealthStatus.Healthy, ready.Status);
            Assert.Equal("up", ready.Entries["leaderless-ready"].Data["status"]);
            Assert.Equal(HealthStatus.Healthy, (await checks.CheckHealthAsync(c => c.Tags.Contains(LeaderlessHealthChecks.LiveTag))).Status);

            await system.Terminate();
            Assert.Equal(HealthStatus.Unhealthy, (await checks.CheckHealthAsync(c => c.Tags.Contains(LeaderlessHealthChecks.LiveTag))).Status);
            Assert.Equal(HealthStatus.Unhealthy, (await checks.CheckHealthAsync(c => c.Tags.Contains(LeaderlessHealthChecks.ReadyTag))).Status);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void The_anti_entropy_options_become_the_stores_anti_entropy_settings()
    {
        var options = new LeaderlessStoreOptions { AntiEntropyEnabled = false, AntiEntropyInterval = TimeSpan.FromSeconds(90) };
        var settings = LeaderlessSettings.Create(options.ToConfig());
        Assert.False(settings.AntiEntropy.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(90), settings.AntiEntropy.Interval);
    }
}
