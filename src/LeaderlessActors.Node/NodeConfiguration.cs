using System.Net;
using System.Net.Sockets;
using Akka.Configuration;

namespace LeaderlessActors.Node;

/// <summary>
/// The node's whole configuration, layered (highest first): options, the --config file, the embedded
/// <c>hocon/node.conf</c>, the store's <c>reference.conf</c>. Loading it validates the store's settings, so a bad value
/// stops the node before anything starts.
/// </summary>
internal sealed record NodeConfiguration(Config Config, LeaderlessSettings Store, string HttpUrl, bool HasSeeds, string AuthToken)
{
    /// <summary>The ActorSystem name every node of a cluster shares (it is part of the seed addresses).</summary>
    public const string SystemName = "leaderless";

    public static NodeConfiguration Load(NodeOptions options)
    {
        var config = options.ToConfig()
            .WithFallback(options.ConfigFile is null ? Config.Empty : ParseFile(options.ConfigFile))
            .WithFallback(Embedded())
            .WithFallback(LeaderlessConfig.Default());
        config = RemotingTls.WithSeedScheme(config);
        if (string.Equals(config.GetString("leaderless.storage.backend"), "postgres", StringComparison.OrdinalIgnoreCase) &&
            string.IsNullOrWhiteSpace(config.GetString("leaderless.storage.postgres.connection-string")))
            throw new NodeOptionException("--postgres",
                "--storage postgres needs this node's connection string (--postgres, LEADERLESS_POSTGRES or leaderless.storage.postgres.connection-string).");
        var store = LeaderlessSettings.Create(config);
        var remoteHost = config.GetString("akka.remote.dot-netty.tcp.hostname");
        var httpHost = config.GetString("leaderless-node.http.hostname") is { Length: > 0 } h ? h : remoteHost;
        var httpPort = config.GetString("leaderless-node.http.port");
        if (!int.TryParse(httpPort, out var port) || port is < 0 or > 65535)
            throw new NodeOptionException("leaderless-node.http.port (--http-port)", $"'{httpPort}' is not a port number (0..65535).");
        var hasSeeds = config.GetStringList("akka.cluster.seed-nodes").Count > 0;
        RemotingTls.Validate(config);
        return new NodeConfiguration(config, store, $"http://{UrlHost(httpHost)}:{port}", hasSeeds,
            config.GetString("leaderless-node.http.auth-token", ""));
    }

    private static Config ParseFile(string path)
    {
        try
        {
            return ConfigurationFactory.ParseString(File.ReadAllText(path));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new NodeOptionException("--config", $"'{path}' is not valid HOCON: {e.Message}");
        }
    }

    private static Config Embedded()
    {
        using var stream = typeof(NodeConfiguration).Assembly.GetManifestResourceStream("LeaderlessActors.Node.node.conf")
                           ?? throw new InvalidOperationException("node.conf is not embedded in the node.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    private static string UrlHost(string host) =>
        IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host;
}
