using LeaderlessActors.Benchmarks.Scale;

namespace LeaderlessActors.Benchmarks.Report;

/// <summary>One row of the results: a system, an operation at a level and a concurrency, summarized over repetitions
/// (medians; the ops/s range is min-max).</summary>
internal sealed record ResultRow(
    string System,
    string Operation,
    string Level,
    int Concurrency,
    double OpsPerSecond,
    double OpsPerSecondMin,
    double OpsPerSecondMax,
    double P50Ms,
    double P99Ms,
    double P999Ms,
    double AllocatedBytesPerOp,
    double RemoteMessagesPerOp,
    double RemoteBytesPerOp,
    double DrainSeconds,
    double ProcessCpu,
    double MachineBusy,
    long Errors,
    string? FirstError,
    double? RemoteRoundTrips,
    double? FractionOfRemotingLimit,
    string? Baseline,
    double? OpsVsBaseline,
    double? P99VsBaseline,
    IReadOnlyList<double> RepetitionOpsPerSecond,
    long UnreachableEvents = 0)
{
    public string Label => $"{System} {Operation} {Level}".Trim();
}

/// <summary>Where and how the run happened: figures only compare within one run on one machine.</summary>
internal sealed record RunEnvironment(
    DateTimeOffset Started,
    TimeSpan Elapsed,
    string Machine,
    int ProcessorCount,
    string OperatingSystem,
    string Runtime,
    string LoadAverageAtStart,
    string ClusterMode,
    string Command);

internal sealed record BenchmarkReport(
    RunEnvironment Environment,
    BenchmarkOptions Options,
    double? RemotingLimitRoundTripsPerSecond,
    IReadOnlyList<ResultRow> Rows,
    IReadOnlyList<ScaleResult> Scale,
    string AntiEntropyBytes);
