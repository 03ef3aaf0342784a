using System.Buffers.Binary;
using System.IO.Hashing;
using Akka.Actor;
using Akka.Serialization;

namespace LeaderlessActors.Serialization;

/// <summary>
/// Marker for what a replica writes to its journal and snapshot store. `reference.conf` binds it to
/// <see cref="StorageSerializer"/>, which reads damaged entries back as <see cref="UnreadableEntry"/> instead of failing
/// the whole recovery, so a replica can tell lost history from a storage outage and start over safely.
/// </summary>
internal interface ILeaderlessStoredEntry;

/// <summary>
/// What <see cref="StorageSerializer"/> returns for stored bytes that were damaged (their checksum does not match).
/// Never written: recovery sees it in place of the event or snapshot that was there.
/// </summary>
internal sealed record UnreadableEntry(string Error);

/// <summary>
/// The store's serializer for journal events and snapshots: the format of <see cref="WireSerializer"/> (which it uses,
/// rather than a second Hyperion instance that would compile every known type again) behind a format byte and an
/// XxHash64 of the payload. Bytes whose checksum does not match were damaged at rest, and read back as an
/// <see cref="UnreadableEntry"/>; bytes that match but still do not deserialize point at a bug or an unknown format, so
/// they throw and fail recovery loudly rather than being mistaken for damage and given up. (Akka.Persistence.Sql reads
/// rows before deserializing them, so database errors never reach a serializer and stay outages.)
/// </summary>
internal sealed class StorageSerializer(ExtendedActorSystem system) : Serializer(system)
{
    /// <summary>Next to <see cref="WireSerializer.Id"/>.</summary>
    public const int Id = 1742;

    private const byte Format = 1;
    private const int HeaderBytes = 1 + sizeof(ulong);

    public override int Identifier => Id;

    public override bool IncludeManifest => false;

    // Looked up on use (a cached lookup in Akka): Akka rebuilds its serializers whenever an extension injects config.
    private Serializer Payload => system.Serialization.FindSerializerForType(typeof(Replication.KeyRead));

    public override byte[] ToBinary(object obj)
    {
        // An XxHash64 of everything after it: the format byte and the payload.
        var payload = Payload.ToBinary(obj);
        var bytes = new byte[HeaderBytes + payload.Length];
        bytes[sizeof(ulong)] = Format;
        payload.CopyTo(bytes, HeaderBytes);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, XxHash64.HashToUInt64(bytes.AsSpan(sizeof(ulong))));
        return bytes;
    }

    public override object FromBinary(byte[] bytes, Type type)
    {
        if (bytes.Length < HeaderBytes)
            return new UnreadableEntry($"{bytes.Length} bytes, shorter than the {HeaderBytes}-byte header");
        if (BinaryPrimitives.ReadUInt64LittleEndian(bytes) != XxHash64.HashToUInt64(bytes.AsSpan(sizeof(ulong))))
            return new UnreadableEntry($"{bytes.Length} bytes whose checksum does not match: damaged at rest");
        if (bytes[sizeof(ulong)] != Format)
            throw new NotSupportedException($"stored entry format {bytes[sizeof(ulong)]} is unknown to this version (it writes {Format})");
        return Payload.FromBinary(bytes[HeaderBytes..], type);
    }
}
