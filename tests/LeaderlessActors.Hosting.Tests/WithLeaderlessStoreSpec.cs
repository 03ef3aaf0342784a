using System.Text;
using Akka.Actor;
using Akka.Hosting;
using LeaderlessActors.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace LeaderlessActors.Hosting.Tests;

public class WithLeaderlessStoreSpec
{
    private static IHost Build(Action<LeaderlessStoreOptions> configure) =>
        Host.CreateDefaultBuilder()
            .ConfigureServices(services => services.AddAkka("app", builder => builder.WithLeaderlessStore(configure)))
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
    public void The_anti_entropy_options_become_the_stores_anti_entropy_settings()
    {
        var options = new LeaderlessStoreOptions { AntiEntropyEnabled = false, AntiEntropyInterval = TimeSpan.FromSeconds(90) };
        var settings = LeaderlessSettings.Create(options.ToConfig());
        Assert.False(settings.AntiEntropy.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(90), settings.AntiEntropy.Interval);
    }
}
