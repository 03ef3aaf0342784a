using System.CommandLine;
using System.Globalization;

namespace LeaderlessActors.Node;

/// <summary>
/// The node's command line: each option also reads an environment variable (LEADERLESS_ and the option's name in
/// capitals, e.g. LEADERLESS_HTTP_PORT); the command line wins. Values are checked here, so a bad one stops the node
/// before anything starts, with a message that names the option.
/// </summary>
internal sealed class NodeCommandLine
{
    private readonly Option<string?> _hostname = Text("--hostname", "host", "Address other nodes reach this node at; remoting binds to it. Default 127.0.0.1.");
    private readonly Option<string?> _port = Text("--port", "port", "Remoting (cluster) port. Default 4053.");
    private readonly Option<string?> _httpHostname = Text("--http-hostname", "host", "Address the HTTP API binds to. Default: the --hostname.");
    private readonly Option<string?> _httpPort = Text("--http-port", "port", "HTTP API port. Default 8080.");
    private readonly Option<string?> _seeds = Text("--seeds", "host:port,...", "Nodes to join (their remoting addresses). Default: none, form a new cluster.");
    private readonly Option<string?> _dataDir = Text("--data-dir", "folder", "Folder of the node's SQLite file. Default ./leaderless-data.");
    private readonly Option<string?> _storage = Text("--storage", "sqlite|postgres|memory", "Storage backend. Default sqlite.");
    private readonly Option<string?> _postgres = Text("--postgres", "connection string", "This node's own PostgreSQL database (with --storage postgres).");
    private readonly Option<string?> _config = Text("--config", "file", "A HOCON file layered over hocon/node.conf.");
    private readonly Option<string?> _authToken = Text("--auth-token", "token", "Bearer token every HTTP request but /health must carry. Default: none, the API is open.");
    private readonly Option<string?> _contextSecret = Text("--context-secret", "base64",
        "Cluster-wide secret (base64, at least 32 bytes) that authenticates causal contexts; the same on every node.");
    private readonly Option<string?> _tlsCertificate = Text("--tls-certificate", "file.pfx", "Encrypts remoting with TLS using this PKCS#12 certificate. Default: plain TCP.");
    private readonly Option<string?> _tlsCertificatePassword = Text("--tls-certificate-password", "password", "Password of the --tls-certificate file.");
    private readonly Func<string, string?> _environment;

    public NodeCommandLine(Func<string, string?>? environment = null)
    {
        _environment = environment ?? Environment.GetEnvironmentVariable;
        Command = new RootCommand("A LeaderlessActors node: a cluster member holding replicas, with an HTTP API.")
        {
            _hostname, _port, _httpHostname, _httpPort, _seeds, _dataDir, _storage, _postgres, _config,
            _authToken, _contextSecret, _tlsCertificate, _tlsCertificatePassword,
        };
    }

    public RootCommand Command { get; }

    /// <summary>The options of <paramref name="result"/>, completed from the environment.</summary>
    /// <exception cref="NodeOptionException">A value is bad.</exception>
    public NodeOptions Read(ParseResult result)
    {
        string? Value(Option<string?> option, out string source)
        {
            var env = "LEADERLESS_" + option.Name.TrimStart('-').Replace('-', '_').ToUpperInvariant();
            var fromCommandLine = result.GetValue(option);
            source = fromCommandLine is not null ? option.Name : $"{env} (--{option.Name.TrimStart('-')})";
            var value = fromCommandLine ?? _environment(env);
            if (value is not null && string.IsNullOrWhiteSpace(value)) throw new NodeOptionException(source, "must not be empty.");
            return value;
        }
        return new NodeOptions(
            Hostname: Value(_hostname, out _),
            Port: Port(Value(_port, out var s), s, allowZero: true),
            HttpHostname: Value(_httpHostname, out _),
            HttpPort: Port(Value(_httpPort, out s), s, allowZero: true),
            Seeds: Seeds(Value(_seeds, out s), s),
            DataDir: Value(_dataDir, out _),
            Storage: Storage(Value(_storage, out s), s),
            Postgres: Postgres(Value(_postgres, out s), s),
            ConfigFile: ExistingFile(Value(_config, out s), s),
            AuthToken: Value(_authToken, out _),
            ContextSecret: Value(_contextSecret, out _),
            TlsCertificate: ExistingFile(Value(_tlsCertificate, out s), s),
            TlsCertificatePassword: Value(_tlsCertificatePassword, out _));
    }

    private static Option<string?> Text(string name, string helpName, string description) =>
        new(name) { HelpName = helpName, Description = description };

    private static int? Port(string? text, string source, bool allowZero)
    {
        if (text is null) return null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535 || (!allowZero && port == 0))
            throw new NodeOptionException(source, $"'{text}' is not a port number ({(allowZero ? 0 : 1)}..65535).");
        return port;
    }

    private static IReadOnlyList<(string, int)>? Seeds(string? text, string source)
    {
        if (text is null) return null;
        var seeds = new List<(string, int)>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.LastIndexOf(':');
            if (colon <= 0) throw new NodeOptionException(source, $"'{part}' is not host:port.");
            seeds.Add((part[..colon], Port(part[(colon + 1)..], source, allowZero: false)!.Value));
        }
        return seeds;
    }

    private static StorageBackend? Storage(string? text, string source)
    {
        if (text is null) return null;
        return Enum.TryParse<StorageBackend>(text, ignoreCase: true, out var backend) && Enum.IsDefined(backend) && !char.IsDigit(text[0])
            ? backend
            : throw new NodeOptionException(source, $"'{text}' is not one of sqlite, postgres, memory.");
    }

    private static string? Postgres(string? text, string source)
    {
        if (text is null) return null;
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(text);
            return text;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new NodeOptionException(source, $"not a PostgreSQL connection string ({e.Message}).");
        }
    }

    private static string? ExistingFile(string? path, string source) =>
        path is null || File.Exists(path) ? path : throw new NodeOptionException(source, $"the file '{path}' does not exist.");
}
