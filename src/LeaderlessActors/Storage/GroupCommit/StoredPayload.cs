using Akka.Actor;

namespace LeaderlessActors.Storage.GroupCommit;

/// <summary>
/// An event or snapshot as stored: the bytes of the serializer Akka binds to its type, with that serializer's id and
/// manifest so it reads back with the same one. The store's own entries go through its checksummed storage serializer,
/// which reads damaged bytes back as an unreadable entry instead of failing the recovery.
/// </summary>
internal readonly record struct StoredPayload(byte[] Bytes, int SerializerId, string Manifest)
{
    public static StoredPayload Of(ActorSystem system, object payload)
    {
        var serializer = system.Serialization.FindSerializerFor(payload);
        return new StoredPayload(serializer.ToBinary(payload), serializer.Identifier,
            Akka.Serialization.Serialization.ManifestFor(serializer, payload));
    }

    public object ReadBack(ActorSystem system) => system.Serialization.Deserialize(Bytes, SerializerId, Manifest);
}
