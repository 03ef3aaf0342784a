using System.Collections.Concurrent;
using LeaderlessActors;
using LeaderlessActors.Demo;
using Spectre.Console;

// The main job in one command: a 5-node cluster on loopback with SQLite in a temporary folder, a data set written at
// quorum, a crashed node, traffic that keeps going, read repair healing the node after its restart, and a summary.
const int Nodes = 5;
const int Keys = 2000;
const int Parallelism = 32;
const int Victim = 3;
var degraded = TimeSpan.FromSeconds(10);
var victim = DemoCluster.NameOf(Victim);

AnsiConsole.Write(new Rule("[bold]LeaderlessActors[/]: a leaderless replicated key-value store on Akka.NET").LeftJustified());
AnsiConsole.MarkupLine($"{Nodes} nodes on 127.0.0.1, one process; each key on N = 3 of them; reads and writes at quorum (2 of 3).");

using var counters = new StoreCounters();
var board = new Scoreboard(counters);
DemoCluster? cluster = null;
try
{
    await board.RunAsync($"Start {Nodes} nodes", async _ => cluster = await DemoCluster.StartAsync(Nodes));
    AnsiConsole.MarkupLine($"[green]✓[/] {Nodes} nodes up; SQLite files under [grey]{Markup.Escape(cluster!.DataRoot)}[/]");
    var workload = new Workload(cluster, Keys, Parallelism);

    await board.RunAsync($"Write {Keys:N0} keys (quorum)", workload.LoadAsync);

    await board.RunAsync($"Crash {victim}", _ => cluster.CrashAsync(Victim));
    AnsiConsole.MarkupLine($"[red]✗[/] {victim} crashed (no goodbye); the others see it unreachable. Its replicas miss what follows.");

    var updated = new ConcurrentDictionary<string, int>();
    await board.RunAsync($"Read + update, {victim} down", t => workload.ReadAndUpdateAsync(t, degraded, updated));
    AnsiConsole.MarkupLine($"[green]✓[/] {updated.Count:N0} keys updated while {victim} was down.");
    await ShowThatAllFailsAsync(cluster, workload, updated.Keys);

    await board.RunAsync($"Restart {victim}", _ => cluster.RestartAsync(Victim));
    AnsiConsole.MarkupLine($"[green]✓[/] {victim} restarted from its SQLite file and rejoined.");

    var sample = await FindStaleKeyAsync(cluster, workload, updated.Keys);
    if (sample is not null)
        AnsiConsole.Write(ReplicaStates.ToTable(await workload.RandomNode().InspectAsync(sample), cluster,
            $"'{sample}' after the restart, before any read"));

    await board.RunAsync("Read repair (R = all)", t => workload.ReadAllAsync(t, updated.Keys.ToArray()));

    if (sample is not null)
        AnsiConsole.Write(ReplicaStates.ToTable(await workload.RandomNode().InspectAsync(sample), cluster, $"'{sample}' after one read"));
    var converged = 0;
    foreach (var key in updated.Keys)
        if (ReplicaStates.Converged(await workload.RandomNode().InspectAsync(key))) converged++;
    AnsiConsole.MarkupLine($"{(converged == updated.Count ? "[green]✓[/]" : "[yellow]![/]")} {converged:N0} of {updated.Count:N0} " +
                           "changed keys hold identical versions on all 3 replicas.");
    AnsiConsole.MarkupLine("[grey]Hinted handoff replayed to the restarted node what it missed, and read repair healed the keys that " +
                           "were read; anti-entropy is not in this build yet.[/]");

    AnsiConsole.Write(board.ToTable());
    AnsiConsole.MarkupLine(board.TotalFailures == 0
        ? "[green]No quorum request failed, though a node crashed.[/]"
        : $"[yellow]{board.TotalFailures:N0} request(s) failed ({Markup.Escape(board.FailureKinds)}): a busy machine makes " +
          "requests time out, most of all while replicas first open their journals.[/]");
    if (board.FirstFailure is { } first) AnsiConsole.MarkupLine($"[grey]First failure: {Markup.Escape(first)}[/]");
}
finally
{
    if (cluster is not null) await cluster.DisposeAsync();
}
return 0;

// A read at R = all needs all 3 replicas: with one crashed, it fails, and says how many answered.
static async Task ShowThatAllFailsAsync(DemoCluster cluster, Workload workload, IEnumerable<string> keys)
{
    foreach (var key in keys.Take(50))
    {
        try
        {
            await workload.RandomNode().GetAsync(key, new ReadOptions { Consistency = Consistency.All });
        }
        catch (QuorumNotReachedException e)
        {
            AnsiConsole.MarkupLine($"[yellow]R = all fails as it should:[/] {e.Required} required, {e.Answered} answered, " +
                                   $"missing {Markup.Escape(string.Join(", ", e.MissingReplicas))}");
            return;
        }
    }
}

// A key whose restarted replica missed updates, to show its replica states before and after read repair.
static async Task<string?> FindStaleKeyAsync(DemoCluster cluster, Workload workload, IEnumerable<string> keys)
{
    foreach (var key in keys.Take(100))
        if (ReplicaStates.IsStaleOn(await workload.RandomNode().InspectAsync(key), cluster.AddressOf(Victim))) return key;
    return null;
}
