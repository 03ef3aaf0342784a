using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Xunit;

namespace LeaderlessActors.Node.Tests;

/// <summary>Three node processes whose remoting speaks TLS with one self-signed certificate.</summary>
public class TlsClusterSpec
{
    [Fact]
    public async Task Nodes_with_a_self_signed_certificate_form_a_cluster_and_serve_quorum_reads_and_writes_over_tls()
    {
        using var certificate = new SelfSignedCertificate("node password");
        // Self-signed: no chain to validate against, so validation is suppressed (encryption, not peer authentication).
        var tls = $$"""
            akka.remote.dot-netty.tcp {
              enable-ssl = on
              ssl {
                certificate { path = {{JsonSerializer.Serialize(certificate.Path)}}, password = "node password" }
                suppress-validation = on
              }
            }
            """;
        await using var nodes = await NodeProcesses.StartAsync(3, _ => tls);

        using (var put = await nodes.Http[0].PutKeyAsync("over-tls", "encrypted", query: "?w=quorum"))
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        using (var read = await nodes.Http[2].GetKeyAsync("over-tls", "?r=quorum"))
            Assert.Equal("encrypted", await read.TextAsync());

        Assert.Equal(certificate.Thumbprint, await RemotingCertificateAsync(nodes.RemotePortOf(1), certificate));
    }

    /// <summary>The thumbprint of the certificate the remoting port presents in a TLS handshake.</summary>
    private static async Task<string?> RemotingCertificateAsync(int port, SelfSignedCertificate client)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        string? presented = null;
        await using var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, cert, _, _) =>
        {
            presented = cert is null ? null : new X509Certificate2(cert).Thumbprint;
            return true;
        });
        using var clientCertificate = X509CertificateLoader.LoadPkcs12FromFile(client.Path, client.Password);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "127.0.0.1",
                ClientCertificates = [clientCertificate],
            }).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception e) when (e is AuthenticationException or IOException) { } // the certificate was seen before any failure
        return presented;
    }
}
