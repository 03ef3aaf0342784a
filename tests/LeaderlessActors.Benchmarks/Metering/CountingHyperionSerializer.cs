using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;

namespace LeaderlessActors.Benchmarks.Metering;

/// <summary>Hyperion, counting every message it writes; same identifier and bytes as the standard one.</summary>
public sealed class CountingHyperionSerializer : HyperionSerializer
{
    public CountingHyperionSerializer(ExtendedActorSystem system) : base(system) { }

    public CountingHyperionSerializer(ExtendedActorSystem system, Config config) : base(system, config) { }

    public override byte[] ToBinary(object obj)
    {
        var bytes = base.ToBinary(obj);
        WireCounter.Record(bytes.Length);
        return bytes;
    }
}
