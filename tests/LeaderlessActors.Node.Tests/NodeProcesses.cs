using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LeaderlessActors.TestSupport;

namespace LeaderlessActors.Node.Tests;

/// <summary>
/// Real node processes (<c>dotnet LeaderlessActors.Node.dll</c>) on 127.0.0.1 with free ports, each with its own SQLite
/// folder and a --config file of fast failure-detector settings. The first node is the seed. Dispose kills every child
/// that is still running and removes the folders.
/// </summary>
public sealed class NodeProcesses : IAsyncDisposable
{
    // Fast failure detection: a killed node is unreachable after about 3.5 s. A shorter pause flags live nodes on a
    // busy machine, and a request then sees fewer replicas than the spec means it to.
    private const string TestConfig = """
        akka.loglevel = WARNING
        akka.cluster {
          gossip-interval = 200ms
          seed-node-timeout = 1s
          retry-unsuccessful-join-after = 1s
          failure-detector.heartbeat-interval = 200ms
          failure-detector.acceptable-heartbeat-pause = 3s
        }
        leaderless.max-value-bytes = 65536
        # Off, as in the TestKit: background repair would race specs that look at replicas they left stale, and starting
        # sharding's daemon process (JIT of sharding and DData) stalled all three processes for seconds on this loaded
        # machine, past the 3 s heartbeat pause above. The anti-entropy specs run in-process (MultiNode.Tests).
        leaderless.anti-entropy.enabled = off
        # Generous: the machine is shared, and a replica's first use opens its journal.
        leaderless.request-timeout = 15s
        """;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "leaderless-node-tests", Guid.NewGuid().ToString("N"));
    private readonly List<Process> _processes = [];
    private readonly List<StringBuilder> _logs = [];
    private readonly List<int> _remotePorts = [];
    private readonly List<string[]> _arguments = [];
    private readonly HashSet<int> _stopped = [];

    private NodeProcesses() => Directory.CreateDirectory(_root);

    public IReadOnlyList<HttpClient> Http { get; private set; } = [];

    public int Count => _processes.Count;

    /// <summary>The folder of the node's SQLite files (its --data-dir).</summary>
    public string DataFolder(int index) => Path.Combine(_root, $"data{index}");

    /// <summary>The node's remoting port.</summary>
    public int RemotePortOf(int index) => _remotePorts[index];

    /// <summary>The node's remoting address as the cluster names it.</summary>
    public string AddressOf(int index) => $"akka.tcp://leaderless@127.0.0.1:{_remotePorts[index]}";

    /// <summary>Starts <paramref name="count"/> nodes and waits until each is healthy and sees all in its ring.</summary>
    /// <param name="count">How many nodes.</param>
    /// <param name="perNodeConfig">Extra HOCON for a node by index, or null.</param>
    public static async Task<NodeProcesses> StartAsync(int count, Func<int, string?>? perNodeConfig = null)
    {
        var nodes = new NodeProcesses();
        try
        {
            var ports = FreePorts(2 * count);
            var clients = new List<HttpClient>();
            for (var i = 0; i < count; i++)
            {
                nodes._remotePorts.Add(ports[2 * i]);
                var config = Path.Combine(nodes._root, $"node{i}.conf");
                // LEADERLESS_NODE_TEST_CONFIG: HOCON for every node of every spec, e.g. akka.loglevel = INFO to diagnose.
                await File.WriteAllTextAsync(config, TestConfig + "\n" + Environment.GetEnvironmentVariable("LEADERLESS_NODE_TEST_CONFIG") +
                                                     "\n" + perNodeConfig?.Invoke(i));
                nodes.Start(i, ports[2 * i], ports[2 * i + 1], ports[0], config);
                clients.Add(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports[2 * i + 1]}"), Timeout = TimeSpan.FromSeconds(30) });
            }
            nodes.Http = clients;
            await nodes.AwaitAllHealthyAsync();
            await nodes.AwaitHandoffsSettledAsync(); // forming the cluster moved partitions onto each node that joined
            return nodes;
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL: the node gets no chance to leave the cluster.</summary>
    public void Kill(int index)
    {
        _stopped.Add(index);
        _processes[index].Kill(entireProcessTree: true);
        _processes[index].WaitForExit(10_000);
    }

    /// <summary>SIGSTOP: the node freezes (as in a long GC pause or a stalled VM) until <see cref="Resume"/>; the others
    /// see it unreachable and may down it.</summary>
    public void Pause(int index) => Signal(index, "-STOP");

    /// <summary>SIGCONT: a paused node runs on from where it stopped.</summary>
    public void Resume(int index) => Signal(index, "-CONT");

    /// <summary>Whether node <paramref name="index"/>'s process (the one started last for it) has exited.</summary>
    public bool HasExited(int index) => _processes[index].HasExited;

    private void Signal(int index, string signal)
    {
        using var kill = Process.Start("kill", [signal, $"{_processes[index].Id}"]);
        kill.WaitForExit(10_000);
    }

    /// <summary>Starts a killed or terminated node again with its old ports and data folder, and waits until every node
    /// is healthy and sees all of them in its ring again.</summary>
    public async Task RestartAsync(int index)
    {
        StartAgain(index);
        await AwaitAllHealthyAsync();
    }

    /// <summary>Starts a killed or terminated node again with its old ports and data folder, without waiting for it.</summary>
    public void StartAgain(int index)
    {
        if (!_stopped.Remove(index)) throw new InvalidOperationException($"Node {index} is running.");
        _processes[index].Dispose();
        (_processes[index], _logs[index]) = Launch(_arguments[index]);
    }

    /// <summary>Waits until every node is healthy and sees all of them in its ring, with none unreachable. Generous: five
    /// processes starting at once on a busy 2-core machine took more than a minute to all serve.</summary>
    public Task AwaitAllHealthyAsync()
    {
        var unhealthy = "";
        return EventuallyAsync(async () =>
        {
            for (var i = 0; i < Count; i++)
            {
                var health = await HealthAsync(Http[i]);
                unhealthy = $"node {i}: {health}";
                if (health is not { Ready: true, RingMembers: var members, UnreachableMembers: 0 } || members != Count) return false;
            }
            return true;
        }, TimeSpan.FromSeconds(120), "every node to be healthy with all nodes in its ring", () => $"Last seen unhealthy: {unhealthy}");
    }

    private Task AwaitHandoffsSettledAsync() => EventuallyAsync(async () =>
    {
        foreach (var client in Http)
        {
            using var response = await client.GetAsync("/cluster/handoffs");
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (body.RootElement.GetProperty("movingPartitions").GetInt32() != 0) return false;
        }
        return true;
    }, TimeSpan.FromSeconds(60), "every node to see no partition moving to new owners");

    /// <summary>SIGTERM, as <c>docker stop</c> or a service manager sends it; returns the exit code.</summary>
    public async Task<int> TerminateAsync(int index)
    {
        _stopped.Add(index);
        using (var kill = Process.Start("kill", ["-TERM", $"{_processes[index].Id}"])) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _processes[index].WaitForExitAsync(timeout.Token);
        return _processes[index].ExitCode;
    }

    /// <summary>Waits until node <paramref name="observer"/> sees <paramref name="unreachable"/> members unreachable.</summary>
    public Task AwaitUnreachableAsync(int observer, int unreachable) => EventuallyAsync(async () =>
        await HealthAsync(Http[observer]) is { } h && h.UnreachableMembers == unreachable,
        TimeSpan.FromSeconds(30), $"node {observer} to see {unreachable} unreachable member(s)");

    /// <summary>Polls <paramref name="condition"/> until true; on timeout the nodes' logs are part of the error.</summary>
    /// <param name="detail">What to add to the timeout's message, asked for at the time.</param>
    public async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string>? detail = null)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition()) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (deadline.Elapsed > timeout)
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}. {detail?.Invoke()}\n{Logs()}");
            if (Enumerable.Range(0, _processes.Count).FirstOrDefault(i => !_stopped.Contains(i) && _processes[i].HasExited, -1) is var dead and >= 0)
                throw new InvalidOperationException($"Node {dead} exited with code {_processes[dead].ExitCode} while waiting for {what}.\n{Logs()}");
            await Task.Delay(100);
        }
    }

    /// <summary>Runs a node with <paramref name="args"/> that is expected to stop by itself (bad options); kills it
    /// after <paramref name="timeout"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string[] args, IDictionary<string, string>? environment,
        TimeSpan timeout)
    {
        var info = NodeHostStart.StartInfo(Path.GetTempPath(), args);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        return (process.ExitCode, await output + await error);
    }

    private void Start(int index, int remotePort, int httpPort, int seedPort, string config)
    {
        string[] arguments =
        [
            "--hostname", "127.0.0.1", "--port", $"{remotePort}", "--http-port", $"{httpPort}",
            "--seeds", $"127.0.0.1:{seedPort}", "--data-dir", DataFolder(index), "--config", config,
        ];
        var (process, log) = Launch(arguments);
        _arguments.Add(arguments);
        _processes.Add(process);
        _logs.Add(log);
    }

    private (Process, StringBuilder) Launch(string[] arguments)
    {
        var log = new StringBuilder();
        var process = new Process { StartInfo = NodeHostStart.StartInfo(_root, arguments) };
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, log);
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is null) return;
        lock (log) log.AppendLine(line);
    }

    /// <summary>What node <paramref name="index"/>'s process (the one started last for it) wrote so far.</summary>
    public string LogOf(int index)
    {
        lock (_logs[index]) return _logs[index].ToString();
    }

    private string Logs() => string.Join("\n", _logs.Select((log, i) =>
    {
        lock (log) return $"--- node {i} ---\n{(log.Length > 4000 ? log.ToString(log.Length - 4000, 4000) : log.ToString())}";
    }));

    private static async Task<HealthBody?> HealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health");
        return JsonSerializer.Deserialize<HealthBody>(await response.Content.ReadAsStringAsync(), Json.Options);
    }

    internal static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var l in listeners) l.Start();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var l in listeners) l.Stop();
        return ports;
    }

    public async ValueTask DisposeAsync()
    {
        // LEADERLESS_NODE_TEST_LOGS=<folder> keeps every node's whole output (a failure's message has only its tail).
        if (Environment.GetEnvironmentVariable("LEADERLESS_NODE_TEST_LOGS") is { Length: > 0 } keep)
        {
            var folder = Path.Combine(keep, Path.GetFileName(_root));
            Directory.CreateDirectory(folder);
            for (var i = 0; i < _logs.Count; i++) await File.WriteAllTextAsync(Path.Combine(folder, $"node{i}.log"), LogOf(i));
        }
        foreach (var client in Http) client.Dispose();
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException) { }
            process.Dispose();
        }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private sealed record HealthBody(bool Ready, int RingMembers, int UnreachableMembers);
}
