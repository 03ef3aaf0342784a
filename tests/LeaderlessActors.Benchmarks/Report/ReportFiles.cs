using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeaderlessActors.Benchmarks.Report;

/// <summary>Writes the report as results.md, results.json and results.png into the output folder.</summary>
internal static class ReportFiles
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static IReadOnlyList<string> Write(BenchmarkReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        var markdown = Path.Combine(directory, "results.md");
        var json = Path.Combine(directory, "results.json");
        var chart = Path.Combine(directory, "results.png");
        File.WriteAllText(markdown, MarkdownReport.Render(report));
        File.WriteAllText(json, JsonSerializer.Serialize(report, Json));
        ChartReport.Save(report, chart);
        return [markdown, json, chart];
    }

    public static BenchmarkReport Read(string file) =>
        JsonSerializer.Deserialize<BenchmarkReport>(File.ReadAllText(file), Json) ?? throw new InvalidDataException(file);
}
