using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Configuration;

namespace LeaderlessActors.Node;

/// <summary>
/// Checks the TLS certificate of remoting (<c>--tls-certificate</c>, <c>akka.remote.dot-netty.tcp.ssl</c>) before the
/// node starts: Akka reports a certificate it cannot open as a remoting failure that names no option.
/// </summary>
internal static class RemotingTls
{
    private const string Ssl = "akka.remote.dot-netty.tcp.ssl.certificate";

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
