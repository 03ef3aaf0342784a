using Akka.Configuration;
using Akka.Hosting;

namespace LeaderlessActors.Hosting;

/// <summary>Starts the store in an ActorSystem configured with Akka.Hosting.</summary>
public static class LeaderlessHostingExtensions
{
    // The store's largest remote message is a value plus its key and a few KiB of envelope.
    private const int FrameOverheadBytes = 128 * 1024;

    /// <summary>
    /// Adds the store to the ActorSystem: its settings from <paramref name="configure"/> (over the application's HOCON
    /// and <c>hocon/reference.conf</c>), started when the system starts, with its gateway in the
    /// <see cref="ActorRegistry"/> under the key <see cref="LeaderlessStore"/>. Reach the store with
    /// <c>LeaderlessStore.Get(actorSystem)</c>. In a cluster, every member must add it.
    /// </summary>
    public static AkkaConfigurationBuilder WithLeaderlessStore(this AkkaConfigurationBuilder builder,
        Action<LeaderlessStoreOptions>? configure = null)
    {
        var options = new LeaderlessStoreOptions();
        configure?.Invoke(options);
        builder.AddHocon(options.ToConfig(), HoconAddMode.Prepend);
        if (options.SizeRemoteFrames)
        {
            var maxValue = options.MaxValueBytes ?? LeaderlessConfig.Default().GetInt("leaderless.max-value-bytes");
            builder.AddHocon(ConfigurationFactory.ParseString(
                $"akka.remote.dot-netty.tcp.maximum-frame-size = {(long)maxValue + FrameOverheadBytes}b"), HoconAddMode.Append);
        }
        builder.AddHocon(LeaderlessConfig.Default(), HoconAddMode.Append);
        builder.AddStartup((system, registry) => registry.Register<LeaderlessStore>(LeaderlessStore.Get(system).Gateway));
        return builder;
    }
}
