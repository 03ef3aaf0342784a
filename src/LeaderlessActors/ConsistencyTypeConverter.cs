using System.ComponentModel;
using System.Globalization;

namespace LeaderlessActors;

/// <summary>
/// Converts <c>one</c>, <c>quorum</c>, <c>all</c> or a positive number to a <see cref="Consistency"/> and back, so a
/// consistency level binds from <c>appsettings.json</c> and other string-based configuration.
/// </summary>
public sealed class ConsistencyTypeConverter : TypeConverter
{
    /// <inheritdoc />
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    /// <inheritdoc />
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text
            ? Consistency.TryParse(text, out var consistency)
                ? consistency
                : throw new FormatException($"'{text}' is not a consistency level: one, quorum, all or a positive number.")
            : base.ConvertFrom(context, culture, value);

    /// <inheritdoc />
    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        destinationType == typeof(string) && value is Consistency consistency
            ? consistency.ToString()
            : base.ConvertTo(context, culture, value, destinationType);
}
