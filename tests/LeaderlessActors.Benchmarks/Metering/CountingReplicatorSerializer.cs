using Akka.Actor;
using Akka.DistributedData.Serialization;
using Akka.Serialization;

namespace LeaderlessActors.Benchmarks.Metering;

/// <summary>Akka.DistributedData's replicator-message serializer (it is sealed, so wrapped), counting what it writes:
/// reads, writes, their acks, and the gossip and status messages of the baseline.</summary>
public sealed class CountingReplicatorSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private readonly ReplicatorMessageSerializer _inner = new(system);

    public override byte[] ToBinary(object obj)
    {
        var bytes = _inner.ToBinary(obj);
        WireCounter.Record(bytes.Length);
        return bytes;
    }

    public override object FromBinary(byte[] bytes, string manifest) => _inner.FromBinary(bytes, manifest);

    public override string Manifest(object o) => _inner.Manifest(o);
}
