using System.Buffers.Binary;
using System.Buffers.Text;
using LeaderlessActors.Versioning;

namespace LeaderlessActors;

/// <summary>
/// The opaque causal context of a read: which versions of the key the client has seen. Pass it back on the next
/// <see cref="LeaderlessStore.PutAsync"/> or <see cref="LeaderlessStore.DeleteAsync"/> of the same key so that the write
/// replaces exactly those versions; versions written concurrently by others survive as siblings.
/// Transport it as text with <see cref="ToString"/> and <see cref="Parse"/> (URL-safe base64, no padding).
/// A context is bound to its key and authenticated by the cluster (see <c>leaderless.context</c>): the store refuses one
/// it did not issue for that key with <see cref="InvalidRequestReason.MalformedContext"/>, before anything is written.
/// </summary>
public sealed class CausalContext : IEquatable<CausalContext>
{
    // Version 1: entries only (before contexts were signed; parsed, but never verifies). Version 3: entries, then the tag.
    private const byte UnsignedFormat = 1, SignedFormat = 3;
    private const int EntryBytes = 16;

    /// <summary>Bytes of the authentication tag (a truncated HMAC-SHA256).</summary>
    internal const int TagBytes = 16;

    /// <summary>The context of a client that has seen nothing: a write with it never replaces an existing version.</summary>
    public static readonly CausalContext Empty = new(VersionVector.Empty);

    internal CausalContext(VersionVector clock, byte[]? tag = null)
    {
        Clock = clock;
        Tag = tag;
    }

    internal VersionVector Clock { get; }

    /// <summary>The tag over the clock and the key the context was issued for; null when it was never signed.</summary>
    internal byte[]? Tag { get; }

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
        if (bytes.Length < 1 || bytes[0] is not (UnsignedFormat or SignedFormat))
        {
            error = "unknown format version.";
            return false;
        }
        var tagLength = bytes[0] == SignedFormat ? TagBytes : 0;
        if (bytes.Length < 1 + tagLength || (bytes.Length - 1 - tagLength) % EntryBytes != 0)
        {
            error = "truncated entry.";
            return false;
        }
        var entries = new VersionVector.Entry[(bytes.Length - 1 - tagLength) / EntryBytes];
        for (var i = 0; i < entries.Length; i++)
        {
            var span = bytes.AsSpan(1 + i * EntryBytes, EntryBytes);
            var replica = BinaryPrimitives.ReadInt64BigEndian(span);
            var counter = BinaryPrimitives.ReadInt64BigEndian(span[8..]);
            if (counter <= 0 || (i > 0 && replica <= entries[i - 1].Epoch))
            {
                error = "entries are not canonical.";
                return false;
            }
            entries[i] = new VersionVector.Entry(replica, counter);
        }
        context = new CausalContext(VersionVector.From(entries), tagLength == 0 ? null : bytes[^tagLength..]);
        error = "";
        return true;
    }

    /// <summary>The transportable text form: URL-safe base64 without padding.</summary>
    public override string ToString()
    {
        var clock = ClockBytes(Clock);
        var bytes = new byte[1 + clock.Length + TagBytes];
        bytes[0] = SignedFormat;
        clock.CopyTo(bytes, 1);
        Tag?.CopyTo(bytes, 1 + clock.Length); // an unsigned context carries a zero tag, which never verifies
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The canonical bytes of a clock: its entries in order, each replica and counter big-endian.</summary>
    internal static byte[] ClockBytes(VersionVector clock)
    {
        var bytes = new byte[clock.Count * EntryBytes];
        var i = 0;
        foreach (var e in clock.Entries)
        {
            var span = bytes.AsSpan(i++ * EntryBytes, EntryBytes);
            BinaryPrimitives.WriteInt64BigEndian(span, e.Epoch);
            BinaryPrimitives.WriteInt64BigEndian(span[8..], e.Counter);
        }
        return bytes;
    }

    /// <summary>Contexts are equal when they have seen the same versions; the tag only proves where they came from.</summary>
    /// <inheritdoc />
    public bool Equals(CausalContext? other) => other is not null && Clock.Equals(other.Clock);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CausalContext);

    /// <inheritdoc />
    public override int GetHashCode() => Clock.GetHashCode();
}
