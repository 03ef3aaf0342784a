using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace LeaderlessActors.Hosting;

/// <summary>Starts the store in an ActorSystem configured with Akka.Hosting, and offers it to dependency injection.</summary>
public static class LeaderlessHostingExtensions
{
    /// <summary>
    /// Adds the store to the ActorSystem with the settings <paramref name="configure"/> sets (over the application's
    /// HOCON and <c>hocon/reference.conf</c>). See <see cref="WithLeaderlessStore(AkkaConfigurationBuilder, LeaderlessStoreOptions)"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithLeaderlessStore(this AkkaConfigurationBuilder builder,
        Action<LeaderlessStoreOptions>? configure = null)
    {
        var options = new LeaderlessStoreOptions();
        configure?.Invoke(options);
        return builder.WithLeaderlessStore(options);
    }

    /// <summary>
    /// Adds the store to the ActorSystem: its settings from <paramref name="options"/> (for example bound from
    /// <c>appsettings.json</c>) over the application's HOCON and <c>hocon/reference.conf</c>, started when the system
    /// starts (its meter made by the container's <see cref="IMeterFactory"/> and its clock the container's
    /// <see cref="TimeProvider"/>, when registered), with its gateway
    /// in the <see cref="ActorRegistry"/> under the key <see cref="LeaderlessStore"/>. Reach
    /// the store with <c>LeaderlessStore.Get(actorSystem)</c>, or through <see cref="ILeaderlessStore"/> after
    /// <see cref="AddLeaderlessStore"/>. In a cluster, every member must add it. Its traces need no registration here:
    /// add the source <see cref="Diagnostics.StoreTracing.ActivitySourceName"/> to the application's tracing (OpenTelemetry's
    /// <c>AddSource</c>).
    /// </summary>
    public static AkkaConfigurationBuilder WithLeaderlessStore(this AkkaConfigurationBuilder builder, LeaderlessStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = options.ToConfig();
        builder.AddHocon(config, HoconAddMode.Prepend);
        if (options.SizeRemoteFrames)
        {
            // The store's own rule (FrameBudget), so the frame it sizes is the one it accepts at start-up.
            var settings = LeaderlessSettings.Create(config);
            builder.AddHocon(ConfigurationFactory.ParseString(
                $"{FrameBudget.FrameKey} = {FrameBudget.FrameFor(settings)}b"), HoconAddMode.Append);
        }
        builder.AddHocon(LeaderlessConfig.Default(), HoconAddMode.Append);
        builder.WithActors((system, registry, resolver) =>
        {
            // The container's meter factory, when it has one (AddMetrics, which the default hosts call), makes and owns
            // the store's meter, and its TimeProvider, when it has one, is the store's clock; registered before the store
            // starts, since a started store keeps the meter and clock it was made with.
            var meterFactory = resolver.GetService<IMeterFactory>();
            var clock = resolver.GetService<TimeProvider>();
            if (meterFactory is not null || clock is not null)
                system.RegisterExtension(new LeaderlessStoreProvider(meterFactory, clock ?? TimeProvider.System));
            registry.Register<LeaderlessStore>(LeaderlessStore.Get(system).Gateway);
        });
        return builder;
    }

    /// <summary>
    /// Registers <see cref="ILeaderlessStore"/> (and <see cref="LeaderlessStore"/>) as singletons: the store of the
    /// ActorSystem that <c>AddAkka</c> registers, whose builder must call <c>WithLeaderlessStore</c>. Resolve them once
    /// the host has started.
    /// </summary>
    public static IServiceCollection AddLeaderlessStore(this IServiceCollection services)
    {
        services.AddSingleton(provider => LeaderlessStore.Get(provider.GetRequiredService<ActorSystem>()));
        services.AddSingleton<ILeaderlessStore>(provider => provider.GetRequiredService<LeaderlessStore>());
        return services;
    }
}
