using System.Globalization;

namespace LeaderlessActors.Benchmarks.Report;

/// <summary>The columns of the results table, shared by the console and the markdown report.</summary>
internal static class ResultColumns
{
    public static readonly IReadOnlyList<(string Header, bool Numeric, Func<ResultRow, string> Value)> All =
    [
        ("system", false, r => r.System),
        ("op", false, r => r.Operation),
        ("level", false, r => r.Level),
        ("clients", true, r => r.Concurrency.ToString(CultureInfo.InvariantCulture)),
        ("ops/s", true, r => Number(r.OpsPerSecond, "N0")),
        ("min-max", true, r => $"{Number(r.OpsPerSecondMin, "N0")}-{Number(r.OpsPerSecondMax, "N0")}"),
        ("p50 ms", true, r => Number(r.P50Ms, "N2")),
        ("p99 ms", true, r => Number(r.P99Ms, "N2")),
        ("p99.9 ms", true, r => Number(r.P999Ms, "N2")),
        ("alloc B/op", true, r => Number(r.AllocatedBytesPerOp, "N0")),
        ("msgs/op", true, r => Number(r.RemoteMessagesPerOp, "N2")),
        ("wire B/op", true, r => Number(r.RemoteBytesPerOp, "N0")),
        ("cpu %", true, r => Number(r.ProcessCpu * 100, "N0")),
        ("host %", true, r => Number(r.MachineBusy * 100, "N0")),
        ("drain s", true, r => Number(r.DrainSeconds, "N1")),
        ("RTs/op", true, r => r.RemoteRoundTrips?.ToString("0.#", CultureInfo.InvariantCulture) ?? ""),
        ("% limit", true, r => r.FractionOfRemotingLimit is { } f ? Number(f * 100, "N0") + "%" : ""),
        ("x DD ops", true, r => r.OpsVsBaseline is { } x ? Number(x, "N2") : ""),
        ("x DD p99", true, r => r.P99VsBaseline is { } x ? Number(x, "N2") : ""),
        ("errors", true, r => r.Errors.ToString(CultureInfo.InvariantCulture)),
        ("unreach.", true, r => r.UnreachableEvents.ToString(CultureInfo.InvariantCulture)),
    ];

    public static string Number(double value, string format) =>
        double.IsNaN(value) || double.IsInfinity(value) ? "-" : value.ToString(format, CultureInfo.InvariantCulture);
}
