using Akka.Actor;
using LeaderlessActors.Serialization;

namespace LeaderlessActors.Benchmarks.Metering;

/// <summary>The store's own serializer, counting every message it writes; same identifier and bytes.</summary>
internal sealed class CountingWireSerializer(ExtendedActorSystem system) : WireSerializer(system)
{
    public override byte[] ToBinary(object obj)
    {
        var bytes = base.ToBinary(obj);
        WireCounter.Record(obj, bytes.Length);
        return bytes;
    }
}
