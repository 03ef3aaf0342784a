using System.Buffers.Binary;
using System.Buffers.Text;
using LeaderlessActors.Versioning;

namespace LeaderlessActors;

/// <summary>
/// The opaque causal context of a read: which versions of the key the client has seen. Pass it back on the next
/// <see cref="LeaderlessStore.PutAsync"/> or <see cref="LeaderlessStore.DeleteAsync"/> of the same key so that the write
/// replaces exactly those versions; versions written concurrently by others survive as siblings.
/// Transport it as text with <see cref="ToString"/> and <see cref="Parse"/> (URL-safe base64, no padding).
/// </summary>
public sealed class CausalContext : IEquatable<CausalContext>
{
    private const byte FormatVersion = 1;
    private const int EntryBytes = 16;

    /// <summary>The context of a client that has seen nothing: a write with it never replaces an existing version.</summary>
    public static readonly CausalContext Empty = new(VersionVector.Empty);

    internal CausalContext(VersionVector clock) => Clock = clock;

    internal VersionVector Clock { get; }

    /// <summary>True when this context has seen no version at all.</summary>
    public bool IsEmpty => Clock.Count == 0;

    /// <summary>Parses the text form produced by <see cref="ToString"/>.</summary>
    /// <exception cref="InvalidRequestException">The text is not a context this store produced (error code
    /// <see cref="InvalidRequestReason.MalformedContext"/>).</exception>
    public static CausalContext Parse(string text)
    {
        if (TryParse(text, out var context, out var error)) return context;
        throw new InvalidRequestException(InvalidRequestReason.MalformedContext, $"Malformed causal context: {error}");
    }

    /// <summary>Parses the text form produced by <see cref="ToString"/>; false when it is malformed.</summary>
    public static bool TryParse(string? text, out CausalContext context) => TryParse(text, out context, out _);

    private static bool TryParse(string? text, out CausalContext context, out string error)
    {
        context = Empty;
        if (string.IsNullOrEmpty(text))
        {
            error = "it is empty.";
            return false;
        }
        if (text.Length > 64 * 1024)
        {
            error = "it is longer than 64 KiB.";
            return false;
        }
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            error = "it is not URL-safe base64.";
            return false;
        }
        if (bytes.Length < 1 || bytes[0] != FormatVersion)
        {
            error = "unknown format version.";
            return false;
        }
        if ((bytes.Length - 1) % EntryBytes != 0)
        {
            error = "truncated entry.";
            return false;
        }
        var entries = new VersionVector.Entry[(bytes.Length - 1) / EntryBytes];
        for (var i = 0; i < entries.Length; i++)
        {
            var span = bytes.AsSpan(1 + i * EntryBytes, EntryBytes);
            var replica = BinaryPrimitives.ReadInt64BigEndian(span);
            var counter = BinaryPrimitives.ReadInt64BigEndian(span[8..]);
            if (counter <= 0 || (i > 0 && replica <= entries[i - 1].Replica))
            {
                error = "entries are not canonical.";
                return false;
            }
            entries[i] = new VersionVector.Entry(replica, counter);
        }
        context = new CausalContext(VersionVector.From(entries));
        error = "";
        return true;
    }

    /// <summary>The transportable text form: URL-safe base64 without padding.</summary>
    public override string ToString()
    {
        var bytes = new byte[1 + Clock.Count * EntryBytes];
        bytes[0] = FormatVersion;
        var i = 0;
        foreach (var e in Clock.Entries)
        {
            var span = bytes.AsSpan(1 + i++ * EntryBytes, EntryBytes);
            BinaryPrimitives.WriteInt64BigEndian(span, e.Replica);
            BinaryPrimitives.WriteInt64BigEndian(span[8..], e.Counter);
        }
        return Base64Url.EncodeToString(bytes);
    }

    /// <inheritdoc />
    public bool Equals(CausalContext? other) => other is not null && Clock.Equals(other.Clock);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CausalContext);

    /// <inheritdoc />
    public override int GetHashCode() => Clock.GetHashCode();
}
