using System.Globalization;

namespace LeaderlessActors.Benchmarks.Http;

/// <summary>Reads values out of the Prometheus text exposition format that a node serves at <c>/metrics</c>.</summary>
internal static class PrometheusText
{
    /// <summary>The sum of every sample of <paramref name="metric"/> (all label sets) in <paramref name="text"/>; null when
    /// the text has no sample of it.</summary>
    public static long? Sum(string text, string metric)
    {
        double? sum = null;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (!line.StartsWith(metric, StringComparison.Ordinal) || line.Length == metric.Length) continue;
            var rest = line[metric.Length..];
            if (rest[0] == '{') rest = rest[(rest.LastIndexOf('}') + 1)..]; // label values may hold spaces
            else if (rest[0] != ' ') continue; // another metric whose name starts with this one
            // "value" or "value timestamp".
            var value = rest.Trim().Split(' ')[0];
            sum = (sum ?? 0) + double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        return sum is { } total ? (long)Math.Round(total) : null;
    }
}
