using System.Globalization;
using System.Text.Json;
using Akka.Configuration;
using LeaderlessActors.Hosting;

namespace LeaderlessActors.Node;

/// <summary>
/// The node's command-line options after environment variables filled the gaps; a null member was given neither way and
/// is left to the configuration files. Every value is validated when it is read, naming where it came from.
/// </summary>
internal sealed record NodeOptions(
    string? Hostname,
    int? Port,
    string? HttpHostname,
    int? HttpPort,
    IReadOnlyList<(string Host, int Port)>? Seeds,
    string? DataDir,
    StorageBackend? Storage,
    string? Postgres,
    string? ConfigFile,
    string? AuthToken = null,
    string? ContextSecret = null,
    string? TlsCertificate = null,
    string? TlsCertificatePassword = null)
{
    /// <summary>The options as HOCON that overrides the configuration files.</summary>
    public Config ToConfig()
    {
        var seeds = Seeds?.Select(s => JsonSerializer.Serialize($"akka.tcp://{NodeConfiguration.SystemName}@{s.Host}:{s.Port}"));
        var node = new (string Path, string? Value)[]
        {
            ("akka.remote.dot-netty.tcp.hostname", Text(Hostname)),
            ("akka.remote.dot-netty.tcp.port", Port?.ToString(CultureInfo.InvariantCulture)),
            ("leaderless-node.http.hostname", Text(HttpHostname)),
            ("leaderless-node.http.port", HttpPort?.ToString(CultureInfo.InvariantCulture)),
            ("akka.cluster.seed-nodes", seeds is null ? null : $"[{string.Join(", ", seeds)}]"),
            ("leaderless-node.http.auth-token", Text(AuthToken)),
            ("leaderless.context.secret", Text(ContextSecret)),
            ("akka.remote.dot-netty.tcp.enable-ssl", TlsCertificate is null ? null : "on"),
            ("akka.remote.dot-netty.tcp.ssl.certificate.path", Text(TlsCertificate)),
            ("akka.remote.dot-netty.tcp.ssl.certificate.password", Text(TlsCertificatePassword)),
        };
        var store = new LeaderlessStoreOptions { Storage = Storage, SqliteDataDirectory = DataDir, PostgresConnectionString = Postgres };
        return ConfigurationFactory.ParseString(string.Join("\n", node.Where(n => n.Value is not null).Select(n => $"{n.Path} = {n.Value}")))
            .WithFallback(store.ToConfig());
    }

    // HOCON's quoted strings follow JSON's rules.
    private static string? Text(string? text) => text is null ? null : JsonSerializer.Serialize(text);
}
