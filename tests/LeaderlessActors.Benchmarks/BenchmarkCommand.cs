using System.CommandLine;
using System.Globalization;
using LeaderlessActors.Benchmarks.Cluster;
using LeaderlessActors.Benchmarks.Http;
using LeaderlessActors.Benchmarks.Report;
using Spectre.Console;

namespace LeaderlessActors.Benchmarks;

/// <summary>The command line: the benchmark itself, and the hidden <c>node</c> command that node processes run.</summary>
public static class BenchmarkCommand
{
    /// <summary>Parses <paramref name="args"/> and runs; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole? console = null)
    {
        console ??= AnsiConsole.Console;
        // Redirected output would otherwise wrap the wide table at 80 columns.
        if (Console.IsOutputRedirected) console.Profile.Width = Math.Max(console.Profile.Width, 240);
        var defaults = new BenchmarkOptions();
        var quick = new Option<bool>("--quick") { Description = "Every measurement once, briefly (under 2 minutes): a smoke run." };
        var keys = new Option<int>("--keys") { Description = "Distinct keys.", DefaultValueFactory = _ => defaults.Keys };
        var concurrency = new Option<string>("--concurrency") { Description = "Closed-loop client counts, comma-separated.", DefaultValueFactory = _ => "1,64" };
        var warmup = new Option<double>("--warmup") { Description = "Warm-up seconds before each measurement.", DefaultValueFactory = _ => defaults.Warmup.TotalSeconds };
        var duration = new Option<double>("--duration") { Description = "Measured seconds.", DefaultValueFactory = _ => defaults.Duration.TotalSeconds };
        var repetitions = new Option<int>("--repetitions") { Description = "Repetitions; the median is reported.", DefaultValueFactory = _ => defaults.Repetitions };
        var suites = new Option<string>("--suites")
        {
            Description = "Parts to run, comma-separated: memory, sqlite (group-commit journal), sqlite-sql (Akka.Persistence.Sql journal), postgres, ddata, remoting, scale, anti-entropy, " +
                          "http (node host processes driven over HTTP by wrk; skipped without wrk unless named here).",
            DefaultValueFactory = _ => string.Join(",", Enum.GetNames<Suite>()).ToLowerInvariant(),
        };
        var workloads = new Option<string>("--workloads")
        {
            Description = "Workloads to run, comma-separated: " + string.Join(", ", Load.Workload.All.Select(w => w.Name)) + ".",
            DefaultValueFactory = _ => string.Join(",", Load.Workload.All.Select(w => w.Name)),
        };
        var postgres = new Option<string?>("--postgres") { Description = "A PostgreSQL connection string: adds the postgres storage (one schema per node)." };
        var processes = new Option<bool>("--processes") { Description = "Run nodes 1 and 2 as separate OS processes (clients then drive node 0)." };
        var scaleKeys = new Option<int>("--scale-keys") { Description = "Keys of the one-node memory and recovery figures (0 skips them).", DefaultValueFactory = _ => defaults.ScaleKeys };
        var antiEntropyKeys = new Option<int>("--anti-entropy-keys") { Description = "Keys on each replica of the anti-entropy figure (0 skips it).", DefaultValueFactory = _ => defaults.AntiEntropyKeys };
        var render = new Option<string?>("--render") { Description = "Render the table and the files in --out again from a saved results.json instead of measuring." };
        var output = new Option<string>("--out") { Description = "Folder for results.md, results.json and results.png.", DefaultValueFactory = _ => defaults.OutputDirectory };

        var root = new RootCommand("Benchmarks LeaderlessActors against Akka.DistributedData and the raw remoting limit, in one run.")
        {
            quick, keys, concurrency, warmup, duration, repetitions, suites, workloads, postgres, processes, scaleKeys, antiEntropyKeys, output, render, NodeCommand(),
        };
        root.SetAction(async (parse, _) =>
        {
            var options = new BenchmarkOptions
            {
                Keys = Positive(parse.GetValue(keys), "--keys"),
                Concurrency = ParseList(parse.GetValue(concurrency)!, "--concurrency", s => Positive(int.Parse(s, CultureInfo.InvariantCulture), "--concurrency")),
                Warmup = TimeSpan.FromSeconds(parse.GetValue(warmup)),
                Duration = TimeSpan.FromSeconds(Positive(parse.GetValue(duration), "--duration")),
                Repetitions = Positive(parse.GetValue(repetitions), "--repetitions"),
                Suites = ParseList(parse.GetValue(suites)!, "--suites", s => Enum.Parse<Suite>(s.Replace("-", ""), ignoreCase: true)).Distinct().ToList(),
                Workloads = ParseList(parse.GetValue(workloads)!, "--workloads", KnownWorkload),
                PostgresConnectionString = parse.GetValue(postgres),
                NodeProcesses = parse.GetValue(processes),
                ScaleKeys = parse.GetValue(scaleKeys),
                AntiEntropyKeys = parse.GetValue(antiEntropyKeys),
                OutputDirectory = parse.GetValue(output)!,
            };
            if (parse.GetValue(quick)) options = options.AsQuick();
            BenchmarkReport report;
            if (parse.GetValue(render) is { } saved)
            {
                report = ReportFiles.Read(saved);
            }
            else
            {
                if (WrkPrerequisite.Apply(options, parse.GetResult(suites) is { Implicit: false }, console.MarkupLine) is not { } runnable) return 2;
                report = await new BenchmarkRunner(runnable, console.MarkupLine).RunAsync("dotnet run -c Release --project tests/LeaderlessActors.Benchmarks -- " + string.Join(' ', args));
            }
            ConsoleReport.Write(report, console);
            foreach (var file in ReportFiles.Write(report, options.OutputDirectory)) console.MarkupLine($"Wrote [link]{Markup.Escape(Path.GetFullPath(file))}[/]");
            return 0;
        });
        var parsed = root.Parse(args);
        try
        {
            return await parsed.InvokeAsync();
        }
        catch (ArgumentException e)
        {
            console.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 2;
        }
    }

    private static Command NodeCommand()
    {
        var index = new Option<int>("--index") { Required = true };
        var seed = new Option<string>("--seed") { Required = true };
        var storage = new Option<string>("--storage") { DefaultValueFactory = _ => "none" };
        var ddata = new Option<bool>("--ddata");
        var dataDir = new Option<string>("--data-dir") { Required = true };
        var workloads = new Option<string>("--workloads")
        {
            Description = "Workloads to run, comma-separated: " + string.Join(", ", Load.Workload.All.Select(w => w.Name)) + ".",
            DefaultValueFactory = _ => string.Join(",", Load.Workload.All.Select(w => w.Name)),
        };
        var postgres = new Option<string?>("--postgres");
        var schemaPrefix = new Option<string>("--schema-prefix") { DefaultValueFactory = _ => "bench" };
        var sqliteJournal = new Option<string>("--sqlite-journal") { DefaultValueFactory = _ => "group-commit" };
        var command = new Command("node", "One node of a multi-process run (started by --processes).")
        {
            index, seed, storage, ddata, dataDir, postgres, schemaPrefix, sqliteJournal,
        };
        command.Hidden = true;
        command.SetAction((parse, _) =>
        {
            var backend = parse.GetValue(storage) is "none" or null ? (StorageBackend?)null : Enum.Parse<StorageBackend>(parse.GetValue(storage)!, ignoreCase: true);
            var journal = Enum.Parse<SqliteJournalKind>(parse.GetValue(sqliteJournal)!.Replace("-", ""), ignoreCase: true);
            var setup = new NodeSetup(backend, parse.GetValue(ddata), parse.GetValue(dataDir)!, parse.GetValue(postgres),
                parse.GetValue(schemaPrefix)!, journal);
            return ChildNode.RunAsync(setup, parse.GetValue(index), parse.GetValue(seed)!);
        });
        return command;
    }

    private static T Positive<T>(T value, string option) where T : System.Numerics.INumber<T> =>
        value > T.Zero ? value : throw new ArgumentException($"{option} must be positive, not {value}.");

    private static string KnownWorkload(string name) =>
        Load.Workload.All.Any(w => w.Name == name) ? name : throw new FormatException($"unknown workload '{name}'.");

    private static List<T> ParseList<T>(string text, string option, Func<string, T> parse)
    {
        try
        {
            return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse).ToList();
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"{option}: {e.Message}", e);
        }
    }
}
