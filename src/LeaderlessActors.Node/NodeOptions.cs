using System.Globalization;
using System.Text;
using Akka.Configuration;

namespace LeaderlessActors.Node;

/// <summary>
/// The node's command-line options after environment variables filled the gaps; a null member was given neither way and
/// is left to the configuration files. Every value is validated when it is read, naming where it came from.
/// </summary>
internal sealed record NodeOptions
{
    public string? Hostname { get; init; }
    public int? Port { get; init; }
    public string? HttpHostname { get; init; }
    public int? HttpPort { get; init; }
    public IReadOnlyList<(string Host, int Port)>? Seeds { get; init; }
    public string? DataDir { get; init; }
    public StorageBackend? Storage { get; init; }
    public string? Postgres { get; init; }
    public string? ConfigFile { get; init; }

    /// <summary>The options as HOCON that overrides the configuration files.</summary>
    public Config ToConfig()
    {
        var hocon = new StringBuilder();
        void Set(string path, string? value)
        {
            if (value is not null) hocon.Append(path).Append(" = ").Append(value).Append('\n');
        }
        Set("akka.remote.dot-netty.tcp.hostname", Quote(Hostname));
        Set("akka.remote.dot-netty.tcp.port", Port?.ToString(CultureInfo.InvariantCulture));
        Set("leaderless-node.http.hostname", Quote(HttpHostname));
        Set("leaderless-node.http.port", HttpPort?.ToString(CultureInfo.InvariantCulture));
        Set("akka.cluster.seed-nodes",
            Seeds is null ? null : "[" + string.Join(", ", Seeds.Select(s => Quote($"akka.tcp://{NodeConfiguration.SystemName}@{s.Host}:{s.Port}"))) + "]");
        Set("leaderless.storage.sqlite.data-dir", Quote(DataDir));
        Set("leaderless.storage.backend", Storage?.ToString().ToLowerInvariant());
        Set("leaderless.storage.postgres.connection-string", Quote(Postgres));
        return ConfigurationFactory.ParseString(hocon.ToString());
    }

    private static string? Quote(string? text) =>
        text is null ? null : "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
