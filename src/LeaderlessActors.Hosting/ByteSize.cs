using System.ComponentModel;
using System.Globalization;

namespace LeaderlessActors.Hosting;

/// <summary>
/// A number of bytes for <see cref="LeaderlessStoreOptions"/>: a whole number, or one with a unit: <c>KiB</c>,
/// <c>MiB</c>, <c>GiB</c> (powers of 1024), <c>KB</c>, <c>MB</c>, <c>GB</c> (powers of 1000) or <c>B</c>,
/// case-insensitive, such as <c>"1MiB"</c> in <c>appsettings.json</c>. A plain number converts implicitly.
/// </summary>
[TypeConverter(typeof(ByteSizeTypeConverter))]
public readonly record struct ByteSize
{
    private static readonly (string Unit, long Factor)[] Units =
    [
        ("kib", 1L << 10), ("mib", 1L << 20), ("gib", 1L << 30), ("kb", 1000), ("mb", 1000_000), ("gb", 1000_000_000), ("b", 1),
    ];

    /// <summary>A size of <paramref name="bytes"/> bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public ByteSize(long bytes) => Bytes = bytes >= 0 ? bytes : throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "A size cannot be negative.");

    /// <summary>The number of bytes.</summary>
    public long Bytes { get; }

    /// <summary>A size of <paramref name="bytes"/> bytes.</summary>
    public static implicit operator ByteSize(long bytes) => new(bytes);

    /// <summary>Parses a size such as <c>1048576</c>, <c>512 KiB</c> or <c>1MiB</c>.</summary>
    /// <exception cref="FormatException">Not a size.</exception>
    public static ByteSize Parse(string text) =>
        TryParse(text, out var size) ? size : throw new FormatException($"'{text}' is not a size such as 1048576, 512KiB or 1MiB.");

    /// <summary>Parses a size such as <c>1048576</c>, <c>512 KiB</c> or <c>1MiB</c>; false when it is not one.</summary>
    public static bool TryParse(string? text, out ByteSize size)
    {
        size = default;
        var trimmed = text?.Trim().ToLowerInvariant() ?? "";
        var (unit, factor) = Units.FirstOrDefault(u => trimmed.EndsWith(u.Unit, StringComparison.Ordinal), (Unit: "", Factor: 1L));
        if (!long.TryParse(trimmed[..^unit.Length].TrimEnd(), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count > long.MaxValue / factor)
            return false;
        size = new ByteSize(count * factor);
        return true;
    }

    /// <summary>The size as HOCON reads it: the number of bytes with the unit <c>b</c>.</summary>
    public override string ToString() => Bytes.ToString(CultureInfo.InvariantCulture) + "b";
}

/// <summary>Converts strings such as <c>"1MiB"</c> to <see cref="ByteSize"/>, for configuration binding.</summary>
public sealed class ByteSizeTypeConverter : TypeConverter
{
    /// <inheritdoc />
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    /// <inheritdoc />
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text ? ByteSize.Parse(text) : base.ConvertFrom(context, culture, value);
}
