using Akka.Configuration;
using Akka.Hosting;

namespace LeaderlessActors.Hosting;

/// <summary>Starts the store in an ActorSystem configured with Akka.Hosting.</summary>
public static class LeaderlessHostingExtensions
{
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
            // The store's own rule (FrameBudget), so the frame it sizes is the one it accepts at start-up.
            var settings = LeaderlessSettings.Create(options.ToConfig());
            builder.AddHocon(ConfigurationFactory.ParseString(
                $"{FrameBudget.FrameKey} = {FrameBudget.FrameFor(settings)}b"), HoconAddMode.Append);
        }
        builder.AddHocon(LeaderlessConfig.Default(), HoconAddMode.Append);
        builder.AddStartup((system, registry) => registry.Register<LeaderlessStore>(LeaderlessStore.Get(system).Gateway));
        return builder;
    }
}
