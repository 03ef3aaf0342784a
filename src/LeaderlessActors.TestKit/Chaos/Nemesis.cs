using System.Diagnostics;

namespace LeaderlessActors.TestKit.Chaos;

/// <summary>A fault as it ran: the event and when it started (ms from the start of the run).</summary>
/// <param name="Event">The scheduled event.</param>
/// <param name="StartedAtMs">When it was applied.</param>
public sealed record ExecutedFault(FaultEvent Event, long StartedAtMs);

/// <summary>Runs a <see cref="FaultSchedule"/> against a cluster, one fault at a time, each healed before the next, and
/// tells the clients which nodes they may use.</summary>
internal sealed class Nemesis(TestCluster cluster, NodeStates nodes, Stopwatch clock)
{
    private readonly List<ExecutedFault> _executed = [];
    private readonly List<string> _log = [];

    public IReadOnlyList<ExecutedFault> Executed { get { lock (_log) return _executed.ToArray(); } }

    public IReadOnlyList<string> Log { get { lock (_log) return _log.ToArray(); } }

    public async Task RunAsync(FaultSchedule schedule)
    {
        foreach (var fault in schedule.Events)
        {
            await Task.Delay(fault.Gap);
            lock (_log) _executed.Add(new ExecutedFault(fault, clock.ElapsedMilliseconds));
            Note(fault.Describe());
            await ApplyAsync(fault);
            Note($"done: {fault.Describe()}");
        }
    }

    private async Task ApplyAsync(FaultEvent fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.CutLink:
                await cluster.BlackholeAsync(fault.Node, fault.Other);
                await Task.Delay(fault.Hold);
                await cluster.HealAsync(fault.Node, fault.Other);
                await cluster.AwaitConvergedAsync();
                break;
            case FaultKind.Isolate:
                await cluster.IsolateAsync(fault.Node, awaitUnreachable: false);
                await Task.Delay(fault.Hold);
                await cluster.RejoinAsync(fault.Node);
                break;
            case FaultKind.Crash:
                nodes.Down(fault.Node);
                await cluster.CrashAsync(fault.Node);
                await Task.Delay(fault.Hold);
                await cluster.RestartAsync(fault.Node);
                nodes.Up(fault.Node);
                break;
            case FaultKind.Leave:
                nodes.Down(fault.Node);
                await cluster.LeaveAsync(fault.Node);
                break;
            case FaultKind.Join:
                var joined = await cluster.JoinNewNodeAsync();
                if (joined != fault.Node)
                    throw new InvalidOperationException($"The schedule expected the joining node to be {fault.Node}, the cluster made it {joined}.");
                nodes.Up(joined);
                break;
        }
    }

    private void Note(string text)
    {
        lock (_log) _log.Add($"{clock.ElapsedMilliseconds,6} ms  {text}");
    }
}
