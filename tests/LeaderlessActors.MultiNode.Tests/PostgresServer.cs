using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LeaderlessActors.MultiNode.Tests;

/// <summary>
/// The PostgreSQL server of one PostgreSQL storage spec: the one named by LEADERLESS_TEST_POSTGRES (which .ci/run
/// starts), or else a private server started with the same script on a free loopback port and stopped on dispose. A
/// machine that can do neither fails the spec with the reason: PostgreSQL is a supported backend, so its specs do not skip.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string EnvironmentVariable = "LEADERLESS_TEST_POSTGRES";
    private readonly string? _stopCommand;

    private PostgresServer(string connectionString, string? stopCommand)
    {
        ConnectionString = connectionString;
        _stopCommand = stopCommand;
    }

    public string ConnectionString { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } shared) return new PostgresServer(shared, null);
        var script = Path.Combine(TestSupport.RepositoryFolder.Root(), ".ci", "postgres.sh");
        var env = $"PG_PORT={FreePort()} PG_DIR=/tmp/leaderless-test-postgres-{Guid.NewGuid():N}";
        var output = await RunAsync($"{env} && source '{script}' && start_private_postgres >&2 && echo \"${EnvironmentVariable}\"");
        var connectionString = output.Trim().Split('\n').Last();
        if (connectionString.Length == 0)
            throw new InvalidOperationException(
                $"No PostgreSQL for the PostgreSQL storage specs: set {EnvironmentVariable} or run them through .ci/run.");
        return new PostgresServer(connectionString, $"{env} && source '{script}' && stop_private_postgres && rm -rf \"$PG_DIR\"");
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopCommand is not null) await RunAsync(_stopCommand);
    }

    private static async Task<string> RunAsync(string command)
    {
        var psi = new ProcessStartInfo("bash", ["-c", "export " + command]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"'{command}' failed ({process.ExitCode}): {await stderr}");
        return await stdout;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

}
