using System.Text;

namespace LeaderlessActors.Benchmarks.Report;

/// <summary>The results as a markdown page: the run's conditions, the table, and how to read it.</summary>
internal static class MarkdownReport
{
    public static string Render(BenchmarkReport report)
    {
        var e = report.Environment;
        var o = report.Options;
        var md = new StringBuilder();
        md.AppendLine("# LeaderlessActors benchmark results").AppendLine();
        md.AppendLine($"- Started {e.Started:yyyy-MM-dd HH:mm:ss zzz}, took {e.Elapsed:hh\\:mm\\:ss}{(o.IsQuick ? " (--quick: a smoke run, not a measurement)" : "")}");
        md.AppendLine($"- Machine: {e.Machine}, {e.ProcessorCount} cores, {e.OperatingSystem}, {e.Runtime}; load average at start: {e.LoadAverageAtStart}");
        md.AppendLine($"- Cluster: 3 nodes, N = 3, Akka.Remote TCP on 127.0.0.1, {e.ClusterMode}");
        md.AppendLine($"- {o.Keys:N0} keys, {o.ValueBytes}-byte values, closed-loop clients: {string.Join(", ", o.Concurrency)}; " +
                      $"warm-up {o.Warmup.TotalSeconds:0.##} s, measured {o.Duration.TotalSeconds:0.##} s, {o.Repetitions} repetition(s)");
        md.AppendLine($"- Command: `{e.Command}`").AppendLine();

        var targets = TargetCheck.Evaluate(report.Rows);
        if (targets.Count > 0)
        {
            md.AppendLine("## Targets").AppendLine();
            md.AppendLine("| target | measured | verdict |").AppendLine("|---|---|---|");
            foreach (var t in targets) md.AppendLine($"| {t.Target} | {t.Measured} | {TargetCheck.Describe(t.Verdict)} |");
            md.AppendLine();
        }

        md.AppendLine("## Operations").AppendLine();
        md.AppendLine("| " + string.Join(" | ", ResultColumns.All.Select(c => c.Header)) + " |");
        md.AppendLine("|" + string.Join("|", ResultColumns.All.Select(c => c.Numeric ? "---:" : "---")) + "|");
        foreach (var row in report.Rows) md.AppendLine("| " + string.Join(" | ", ResultColumns.All.Select(c => c.Value(row))) + " |");
        md.AppendLine();
        if (report.RemotingLimitRoundTripsPerSecond is { } limit)
            md.AppendLine($"Remoting limit: **{limit:N0} round trips/s**: the best remoting row (two ActorSystems, Hyperion, " +
                          $"{o.ValueBytes}-byte payload, a window of requests in flight and no ask; pipelined = {o.PipelineWindow}).").AppendLine();
        md.AppendLine("""
            How to read it:
            - ops/s is the median over repetitions, with their min-max (ops/s); latency columns are the medians of each repetition's
              percentile (HdrHistogram, microsecond resolution, from request to answer at the client).
            - alloc B/op: `GC.GetTotalAllocatedBytes` over the measured window divided by operations: process-wide, so with
              in-process nodes it is the whole cluster's allocation (coordinators, replicas, remoting, clients) per operation.
            - msgs/op and wire B/op: messages, and their serialized bytes, written by the store's Hyperion serializer and
              DistributedData's replicator serializer during the window, per operation (counted by wrapping those
              serializers; journal events and cluster heartbeats are not counted). It includes late replica answers, read
              repairs and DistributedData's gossip.
            - cpu %: this process's CPU time in the window over all cores (100% = both cores of a 2-core machine busy with
              the benchmark); host %: how busy the whole machine was, other processes included. cpu % near 100 means the row
              is CPU-bound; host % well above cpu % means other work on the machine took the difference.
            - drain s: how long remote traffic went on after the measured window closed (before the next workload starts).
              Seconds here mean the workload was answered faster than it was replicated: the rest queued up behind it.
            - RTs/op: the remote request/response pairs an operation needs with the client on a replica node. A store
              write sends to all N = 3 replicas (1 local, 2 remote) at every level and waits for W answers; a store read
              asks R of them first (its own, then R - 1 remote: one 0, quorum 1, all 2) and the others only when it
              hedges (leaderless.read-hedging); a mix averages the two. DistributedData majority sends to one other
              node, all to both, local to none.
            - % limit: ops/s x RTs/op / the remoting limit (round trips/s).
            - x DD ops, x DD p99: store / DistributedData at the matching level (quorum = majority, one = local, all = all),
              same clients (ops/s: higher is better; p99: lower is better).
            - errors: failed operations in the measured windows; ops/s counts only the successful ones.
            - unreach.: how often a node of this process saw a member become unreachable during the row (window, drain and
              recovery, all repetitions): the load starved the cluster's heartbeats.
            """).AppendLine();
        if (o.NodeProcesses)
            md.AppendLine("With node processes, alloc B/op, msgs/op, wire B/op and cpu % count this process (node 0, where the clients run) only; host % counts all.").AppendLine();
        if (report.Rows.Any(r => r.System == BenchmarkRunner.HttpSystem))
            md.AppendLine($"""
                {BenchmarkRunner.HttpSystem} rows: three processes of the node host (src/LeaderlessActors.Node: its HTTP API, SQLite storage,
                its own settings but akka.loglevel = WARNING) driven by wrk: quorum PUTs, each carrying its key's last
                X-Causal-Context as the in-process clients do, and quorum GETs. One wrk process per node, run at once, the
                clients (wrk connections, one per wrk thread) split between them. ops/s: 2xx answers of the three together
                over the longest one's run; p50/p99/p99.9 from the three processes' latency histograms merged into one
                (wrk's exact per-microsecond counts), from request sent to answer read, so HTTP and the node's coordination
                are included. Non-2xx answers and socket errors are errors. cpu % is the three nodes' CPU (wrk's is only in
                host %); alloc B/op, msgs/op, wire B/op and drain s are not measured there (-), and unreach. is not counted
                (its 0 means unknown). wrk runs whole seconds: the measured window is the duration rounded up (at least 1 s),
                the warm-up rounded (0 skips it).
                """).AppendLine();
        if (report.Scale.Count > 0)
        {
            md.AppendLine("## One node holding many keys").AppendLine();
            md.AppendLine("| " + string.Join(" | ", ScaleColumns.Headers) + " |");
            md.AppendLine("|" + string.Join("|", ScaleColumns.Headers.Select(_ => "---")) + "|");
            foreach (var result in report.Scale) md.AppendLine("| " + string.Join(" | ", ScaleColumns.Values(result)) + " |");
            md.AppendLine().AppendLine("""
                Keys are written through the store's API (PutAsync, N = 1, 2048 writes in flight); heap B/key is the managed
                heap's growth after full collections divided by the keys. With in-memory storage that includes the in-memory
                journal, which keeps every event, and there is no recovery figure: in-memory storage does not survive a restart.
                """).AppendLine();
        }
        md.AppendLine($"Anti-entropy (bytes and time to repair the differing keys): {report.AntiEntropyBytes}.");
        return md.ToString();
    }
}
