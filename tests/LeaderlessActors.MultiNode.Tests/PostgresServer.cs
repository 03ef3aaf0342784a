using System.Diagnostics;

namespace LeaderlessActors.MultiNode.Tests;

/// <summary>
/// The PostgreSQL server for the PostgreSQL storage specs: the one named by LEADERLESS_TEST_POSTGRES (which .ci/run
/// starts), or else a private server started here with the same script on another loopback port. A machine that can do
/// neither fails these specs with the reason: PostgreSQL is a supported backend, so its specs do not skip.
/// </summary>
public sealed class PostgresServer
{
    private const string EnvironmentVariable = "LEADERLESS_TEST_POSTGRES";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgresServer? _shared;

    private PostgresServer(string connectionString, string? stopCommand)
    {
        ConnectionString = connectionString;
        // A server this process started lives until the test process ends.
        if (stopCommand is not null) AppDomain.CurrentDomain.ProcessExit += (_, _) => Run(stopCommand);
    }

    public string ConnectionString { get; }

    public static async Task<PostgresServer> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _shared ??= Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } cs
                ? new PostgresServer(cs, null)
                : StartPrivate();
        }
        finally
        {
            Gate.Release();
        }
    }

    private static PostgresServer StartPrivate()
    {
        var script = Path.Combine(RepositoryRoot(), ".ci", "postgres.sh");
        var env = $"PG_PORT=55433 PG_DIR=/tmp/leaderless-test-postgres-{Environment.ProcessId}";
        var output = Run($"{env} && source '{script}' && start_private_postgres >&2 && echo \"${EnvironmentVariable}\"");
        var connectionString = output.Trim().Split('\n').Last();
        if (connectionString.Length == 0)
            throw new InvalidOperationException(
                $"No PostgreSQL for the PostgreSQL storage specs: set {EnvironmentVariable} or run them through .ci/run.");
        return new PostgresServer(connectionString, $"{env} && source '{script}' && stop_private_postgres");
    }

    private static string Run(string command)
    {
        var psi = new ProcessStartInfo("bash", ["-c", "export " + command]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3))) process.Kill(entireProcessTree: true);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"Starting a private PostgreSQL failed ({process.ExitCode}): {stderr.Result}");
        return stdout.Result;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LeaderlessActors.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("LeaderlessActors.sln not found above the test folder.");
    }
}
