using System.Globalization;

namespace LeaderlessActors.Benchmarks.Http;

/// <summary>
/// What one wrk process of the http suite reported: the lines its script's <c>done()</c> prints (see wrk-kv.lua), not
/// wrk's human-readable report. Latencies are wrk's own exact histogram (one count per microsecond value), so the
/// processes of a run merge into one distribution instead of combining their percentiles.
/// </summary>
internal sealed record WrkOutput(
    TimeSpan Duration,
    long Responses,
    long Non2xx,
    long SocketErrors,
    IReadOnlyList<(long Microseconds, long Count)> Latencies,
    IReadOnlyList<(int Key, string Context)> Contexts,
    string? FirstError)
{
    /// <summary>Responses with a 2xx status: the operations that count.</summary>
    public long Successes => Responses - Non2xx;

    /// <summary>Non-2xx responses and socket errors (connect, read, write, timeout).</summary>
    public long Errors => Non2xx + SocketErrors;

    public static WrkOutput Parse(string stdout)
    {
        var latencies = new List<(long, long)>();
        var contexts = new List<(int, string)>();
        long[]? summary = null;
        string? firstError = null;
        foreach (var line in stdout.Split('\n', StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(' ', 3);
            switch (fields[0])
            {
                case "wrk-latency":
                    latencies.Add((Number(fields[1]), Number(fields[2])));
                    break;
                case "wrk-context":
                    contexts.Add(((int)Number(fields[1]), fields[2]));
                    break;
                case "wrk-summary":
                    summary = line.Split(' ').Skip(1).Select(Number).ToArray();
                    break;
                case "wrk-first-error":
                    firstError = "HTTP " + line["wrk-first-error ".Length..];
                    break;
            }
        }
        if (summary is not [var durationMicroseconds, var responses, var non2xx, var connect, var read, var write, var timeout])
            throw new InvalidDataException($"wrk printed no summary line; its output was:\n{stdout}");
        return new WrkOutput(TimeSpan.FromMicroseconds(durationMicroseconds), responses, non2xx, connect + read + write + timeout,
            latencies, contexts, firstError);
    }

    private static long Number(string text) => long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
