using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Akka.Configuration;

namespace LeaderlessActors.Node;

/// <summary>
/// Remoting over TLS (<c>--tls-certificate</c>, <c>akka.remote.dot-netty.tcp.ssl</c>): checks the certificate before the
/// node starts (Akka reports one it cannot open as a remoting failure that names no option) and gives seeds the TLS scheme.
/// </summary>
internal static class RemotingTls
{
    private const string Ssl = "akka.remote.dot-netty.tcp.ssl.certificate";

    /// <summary>With TLS on, Akka's addresses use the scheme <c>akka.ssl.tcp</c>: seeds given as <c>akka.tcp</c>
    /// (as --seeds writes them) are moved to it, since a plain seed address can never be joined.</summary>
    public static Config WithSeedScheme(Config config)
    {
        if (!config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl")) return config;
        var seeds = config.GetStringList("akka.cluster.seed-nodes")
            .Select(s => s.StartsWith("akka.tcp://", StringComparison.Ordinal) ? "akka.ssl.tcp://" + s["akka.tcp://".Length..] : s);
        return ConfigurationFactory.ParseString($"akka.cluster.seed-nodes = [{string.Join(", ", seeds.Select(s => JsonSerializer.Serialize(s)))}]")
            .WithFallback(config);
    }

    public static void Validate(Config config)
    {
        if (!config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl") || config.GetBoolean($"{Ssl}.use-thumbprint-over-file")) return;
        var path = config.GetString($"{Ssl}.path", "");
        if (path.Length == 0)
            throw new NodeOptionException("--tls-certificate", $"TLS is enabled but {Ssl}.path names no certificate file.");
        try
        {
            using var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, config.GetString($"{Ssl}.password", ""));
            if (!certificate.HasPrivateKey)
                throw new NodeOptionException("--tls-certificate", $"'{path}' has no private key; remoting needs one to accept TLS connections.");
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new NodeOptionException("--tls-certificate", $"cannot open '{path}' as a PKCS#12 certificate ({e.Message}); check --tls-certificate-password.");
        }
    }
}
