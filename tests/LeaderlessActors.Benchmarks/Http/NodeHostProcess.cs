using System.Diagnostics;
using LeaderlessActors.TestSupport;

namespace LeaderlessActors.Benchmarks.Http;

/// <summary>
/// One process of the real node host, <c>dotnet LeaderlessActors.Node.dll</c> (see <see cref="NodeHostStart"/>), with
/// its output kept in memory: only the tail is shown, when the node fails to start or dies.
/// </summary>
internal sealed class NodeHostProcess : IDisposable
{
    private const int TailLines = 40;

    private readonly Process _process;
    private readonly Queue<string> _tail = new();

    private NodeHostProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>CPU time the node has used so far (all its threads).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static NodeHostProcess Start(IEnumerable<string> arguments, string workingDirectory)
    {
        if (!File.Exists(NodeHostStart.NodeDll))
            throw new FileNotFoundException($"The node host is not built at {NodeHostStart.NodeDll}: build src/LeaderlessActors.Node in the benchmark's configuration.");
        var info = NodeHostStart.StartInfo(workingDirectory, arguments);
        var node = new NodeHostProcess(new Process { StartInfo = info });
        node._process.OutputDataReceived += (_, e) => node.Keep(e.Data);
        node._process.ErrorDataReceived += (_, e) => node.Keep(e.Data);
        node._process.Start();
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        return node;
    }

    /// <summary>The last lines the node wrote.</summary>
    public string Tail()
    {
        lock (_tail) return string.Join('\n', _tail);
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > TailLines) _tail.Dequeue();
        }
    }

    /// <summary>Kills the node (SIGKILL, no graceful leave: the whole cluster goes) and waits a few seconds for it.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // It was never started or is gone already.
        }
        _process.Dispose();
    }
}
