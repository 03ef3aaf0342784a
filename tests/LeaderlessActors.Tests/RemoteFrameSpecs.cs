using Akka.Actor;
using Akka.Configuration;
using Xunit;

namespace LeaderlessActors.Tests;

/// <summary>The remote frame size the store's defaults bring, and the check of the frame the transport really runs with.</summary>
public sealed class RemoteFrameSpecs
{
    private const string FrameKey = "akka.remote.dot-netty.tcp.maximum-frame-size";

    [Fact]
    public void The_store_defaults_give_Akka_Remote_a_4_MiB_frame()
    {
        Assert.Equal(4L * 1024 * 1024, LeaderlessConfig.Default().GetByteSize(FrameKey));
    }

    [Fact]
    public async Task A_clustered_system_started_without_the_store_defaults_fails_at_start_up_naming_the_frame_key()
    {
        // Akka.Remote started with its own 128000-byte frame; the store's defaults join the system's config only when
        // the store starts, too late for the transport, so the store must judge the transport's frame, not the config.
        var system = ActorSystem.Create("frame", ConfigurationFactory.ParseString("""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            leaderless { replication-factor = 1, storage.backend = memory }
            """));
        try
        {
            var error = Assert.Throws<LeaderlessConfigurationException>(() => LeaderlessStore.Get(system));
            Assert.Equal(FrameKey, error.Key);
            Assert.Contains("128000", error.Message);
        }
        finally
        {
            await system.Terminate();
        }
    }
}
