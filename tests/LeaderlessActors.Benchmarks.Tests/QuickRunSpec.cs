using LeaderlessActors.Benchmarks.Http;
using LeaderlessActors.Benchmarks.Report;
using Spectre.Console;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.Benchmarks.Tests;

/// <summary>Runs the benchmark program's --quick mode in this process so the program cannot rot unnoticed. It checks
/// that every part ran and reported, not how fast anything was.</summary>
public class QuickRunSpec(ITestOutputHelper output)
{
    [Fact(Timeout = 480_000)] // about 4 min on an idle 2-core machine, most of it starting clusters and node processes
    public async Task The_quick_benchmark_measures_every_suite_and_writes_the_table_json_markdown_and_chart()
    {
        // The http suite is skipped without wrk; here it must run, so a fresh machine gets it as CI does (.ci/wrk.sh).
        if (Wrk.Executable is null) await InstallWrkAsync();
        Assert.True(Wrk.Executable is not null, Wrk.Missing);
        var folder = Path.Combine(Path.GetTempPath(), "leaderless-bench-smoke", Guid.NewGuid().ToString("N"));
        var text = new TestOutputWriter(output);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No });
        try
        {
            var exitCode = await BenchmarkCommand.RunAsync(["--quick", "--out", folder], console);

            Assert.True(exitCode == 0, text.ToString());
            var report = ReportFiles.Read(Path.Combine(folder, "results.json"));
            Assert.All(report.Rows, row => Assert.True(row.OpsPerSecond > 0, $"{row.Label} c={row.Concurrency} did no operation"));
            foreach (var system in new[] { "store/memory", "store/sqlite", "store/sqlite-sql", "ddata", "remoting" })
                Assert.Contains(report.Rows, row => row.System == system);
            foreach (var operation in new[] { "put", "get" })
            foreach (var level in new[] { "quorum", "one" })
            foreach (var clients in report.Options.Concurrency)
            {
                var http = Assert.Single(report.Rows, r => r.System == "http/sqlite" && r.Operation == operation && r.Level == level && r.Concurrency == clients);
                // A starved node may flag the others unreachable for a moment (503 quorum_not_reached); any other error
                // (a 300 of siblings, a 400 context, a 409 sibling limit) would mean PUTs lost their keys' contexts.
                Assert.True(http.Errors == 0 || http.FirstError!.Contains("quorum_not_reached"),
                    $"http/sqlite {operation} {level} c={clients}: {http.Errors} errors, first {http.FirstError}");
            }
            var quorumPut = Assert.Single(report.Rows, r => r is { System: "store/memory", Operation: "put", Level: "quorum", Concurrency: 64 });
            Assert.NotNull(quorumPut.OpsVsBaseline);
            Assert.NotNull(quorumPut.FractionOfRemotingLimit);
            Assert.Equal(["memory", "sqlite"], report.Scale.Select(s => s.Backend));
            Assert.All(report.Scale, s => Assert.Equal(s.Partitions, s.PartitionsVerified));
            Assert.Contains("100 of 2,000 keys differ", report.AntiEntropyBytes);
            Assert.Contains("100 repaired", report.AntiEntropyBytes);
            var markdown = File.ReadAllText(Path.Combine(folder, "results.md"));
            Assert.Contains("x DD ops", markdown);
            Assert.Contains("## Targets", markdown);
            Assert.True(new FileInfo(Path.Combine(folder, "results.png")).Length > 10_000);
            Assert.Contains("Remoting limit", text.ToString());
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Installs wrk with the script CI uses (.ci/wrk.sh: apt-get, so it needs root).</summary>
    private async Task InstallWrkAsync()
    {
        var script = Path.Combine(LeaderlessActors.TestSupport.RepositoryFolder.Root(), ".ci", "wrk.sh");
        var start = new System.Diagnostics.ProcessStartInfo("bash", ["-c", $"source '{script}' && ensure_wrk"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        output.WriteLine($"ensure_wrk exited {process.ExitCode}: {await stdout}{await stderr}");
    }
}

/// <summary>Console output of the run, line by line into the test's output (so a slow or failed run shows how far it
/// got) and kept whole for assertions.</summary>
internal sealed class TestOutputWriter(ITestOutputHelper output) : StringWriter
{
    private readonly System.Text.StringBuilder _line = new();

    public override void Write(char value)
    {
        base.Write(value);
        if (value == '\n')
        {
            output.WriteLine(_line.ToString().TrimEnd('\r'));
            _line.Clear();
        }
        else
        {
            _line.Append(value);
        }
    }
}
