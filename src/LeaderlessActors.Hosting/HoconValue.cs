using System.Globalization;
using System.Text.Json;

namespace LeaderlessActors.Hosting;

/// <summary>Writes an option's value as the HOCON the store's settings reader takes.</summary>
internal static class HoconValue
{
    public static string Of(object value) => value switch
    {
        string text => Quote(text),
        IEnumerable<string> texts => $"[{string.Join(", ", texts.Select(Quote))}]",
        TimeSpan duration => $"{(long)duration.TotalMilliseconds}ms",
        Enum e => e.ToString(), // the reader takes the plain name as well as kebab case
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!, // Consistency and ByteSize write their HOCON form
    };

    // HOCON's quoted strings follow JSON's rules.
    private static string Quote(string text) => JsonSerializer.Serialize(text);
}
