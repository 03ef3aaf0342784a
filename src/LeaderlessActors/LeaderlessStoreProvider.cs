using System.Diagnostics.Metrics;
using Akka.Actor;

namespace LeaderlessActors;

/// <summary>Creates the <see cref="LeaderlessStore"/> extension; also usable in <c>akka.extensions</c>.</summary>
public sealed class LeaderlessStoreProvider : ExtensionIdProvider<LeaderlessStore>
{
    private readonly IMeterFactory? _meterFactory;
    private readonly TimeProvider? _clock;

    /// <summary>Creates stores whose meter is a new one, disposed when the system terminates.</summary>
    public LeaderlessStoreProvider()
    {
    }

    /// <summary>
    /// Creates stores whose meter comes from <paramref name="meterFactory"/> (a dependency-injection container's, which
    /// then owns it). Register it before anything starts the store: <c>system.RegisterExtension(new
    /// LeaderlessStoreProvider(factory))</c>; a store already started keeps its meter.
    /// </summary>
    public LeaderlessStoreProvider(IMeterFactory meterFactory) =>
        _meterFactory = meterFactory ?? throw new ArgumentNullException(nameof(meterFactory));

    /// <summary>Creates stores that read time from <paramref name="clock"/> (tests drive a fake one), with a meter from
    /// <paramref name="meterFactory"/> or a new one.</summary>
    internal LeaderlessStoreProvider(IMeterFactory? meterFactory, TimeProvider clock)
    {
        _meterFactory = meterFactory;
        _clock = clock;
    }

    /// <inheritdoc />
    public override LeaderlessStore CreateExtension(ExtendedActorSystem system) => new(system, _meterFactory, _clock);
}
