using Akka.Actor;
using Akka.Serialization;

namespace LeaderlessActors.Benchmarks.Metering;

/// <summary>
/// The store's own serializer, counting the messages it writes for other nodes; same identifier and bytes. The benchmark's
/// config names it as <c>leaderless-wire</c>; it builds the serializer the store's reference.conf names there the way
/// Akka builds any configured serializer, and hands every call to it.
/// </summary>
public sealed class CountingWireSerializer : Serializer
{
    private const string Name = "leaderless-wire";
    private readonly ExtendedActorSystem _system;
    private readonly Serializer _inner;

    public CountingWireSerializer(ExtendedActorSystem system) : base(system)
    {
        _system = system;
        var typeName = LeaderlessConfig.Default().GetString($"akka.actor.serializers.{Name}");
        var type = Type.GetType(typeName, throwOnError: true)!;
        _inner = (Serializer)Activator.CreateInstance(type, system)!;
    }

    public override int Identifier => _inner.Identifier;

    public override bool IncludeManifest => _inner.IncludeManifest;

    public override byte[] ToBinary(object obj)
    {
        var bytes = _inner.ToBinary(obj);
        // The store's journal format wraps this one: what is bound elsewhere (its journal events) is not traffic.
        if (_system.Serialization.FindSerializerForType(obj.GetType()) is CountingWireSerializer) WireCounter.Record(bytes.Length);
        return bytes;
    }

    public override object FromBinary(byte[] bytes, Type type) => _inner.FromBinary(bytes, type);
}
