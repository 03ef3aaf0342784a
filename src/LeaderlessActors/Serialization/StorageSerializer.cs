using Akka.Actor;

namespace LeaderlessActors.Serialization;

/// <summary>
/// Marker for what a replica writes to its journal and snapshot store. `reference.conf` binds it to
/// <see cref="StorageSerializer"/>, which reads damaged entries back as <see cref="UnreadableEntry"/> instead of failing
/// the whole recovery, so a replica can tell lost history from a storage outage and start over safely.
/// </summary>
internal interface ILeaderlessStoredEntry
{
    /// <summary>False when a field that is always set came back missing: the bytes were damaged.</summary>
    bool IsWellFormed();
}

/// <summary>
/// What <see cref="StorageSerializer"/> returns for bytes it cannot read back (corrupted on disk or by hand). Never
/// written: recovery sees it in place of the event or snapshot that was there.
/// </summary>
internal sealed record UnreadableEntry(string Error);

/// <summary>
/// The store's serializer for journal events and snapshots: the same format as <see cref="WireSerializer"/>, under its
/// own id, except that bytes which do not deserialize become an <see cref="UnreadableEntry"/>. Database, connection and
/// timeout errors never reach a serializer, so they still fail recovery and are retried as outages.
/// </summary>
internal sealed class StorageSerializer(ExtendedActorSystem system) : WireSerializer(system)
{
    /// <summary>Next to <see cref="WireSerializer.Id"/>.</summary>
    public new const int Id = 1742;

    public override int Identifier => Id;

    public override object FromBinary(byte[] bytes, Type type)
    {
        try
        {
            // Hyperion may read damaged bytes as an object of the wrong type, or with missing fields, instead of throwing.
            return base.FromBinary(bytes, type) is ILeaderlessStoredEntry entry && entry.IsWellFormed()
                ? entry
                : new UnreadableEntry($"{bytes.Length} bytes that do not read back as a stored entry");
        }
        catch (Exception e)
        {
            return new UnreadableEntry($"{bytes.Length} bytes that fail to deserialize: {e.GetType().Name}: {e.Message}");
        }
    }
}
