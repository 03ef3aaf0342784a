using Xunit;

namespace LeaderlessActors.Node.Tests;

public class StartupSpec
{
    public static TheoryData<string[], string?, string> BadOptions => new()
    {
        // arguments, LEADERLESS_HTTP_PORT, what the message must name
        { ["--port", "abc"], null, "Invalid --port: 'abc' is not a port number" },
        { ["--storage", "mongo"], null, "Invalid --storage: 'mongo' is not one of sqlite, postgres, memory" },
        { ["--seeds", "nowhere"], null, "Invalid --seeds: 'nowhere' is not host:port" },
        { ["--config", "/no/such/file.conf"], null, "Invalid --config" },
        { ["--storage", "postgres"], null, "Invalid --postgres" },
        { [], "eighty", "Invalid LEADERLESS_HTTP_PORT (--http-port)" },
        { ["--unknown-option"], null, "Unrecognized command or argument '--unknown-option'" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task A_bad_option_stops_the_node_at_start_up_with_exit_code_2_naming_it(string[] args, string? httpPort, string message)
    {
        var environment = httpPort is null ? null : new Dictionary<string, string> { ["LEADERLESS_HTTP_PORT"] = httpPort };
        var (exitCode, output) = await NodeProcesses.RunToExitAsync(args, environment, TimeSpan.FromSeconds(30));
        Assert.Equal(2, exitCode);
        Assert.Contains(message, output);
    }

    [Fact]
    public async Task A_bad_setting_in_the_config_file_stops_the_node_naming_its_key()
    {
        var file = Path.Combine(Path.GetTempPath(), $"leaderless-bad-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(file, "leaderless.replication-factor = 0");
        try
        {
            var (exitCode, output) = await NodeProcesses.RunToExitAsync(["--config", file], null, TimeSpan.FromSeconds(30));
            Assert.Equal(2, exitCode);
            Assert.Contains("Invalid configuration 'leaderless.replication-factor'", output);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
