using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LeaderlessActors.Node.Tests;

/// <summary>A self-signed certificate for 127.0.0.1 written to a temporary .pfx; Dispose deletes the file.</summary>
internal sealed class SelfSignedCertificate : IDisposable
{
    public SelfSignedCertificate(string password)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=leaderless-test-node", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false)); // server and client auth
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        Thumbprint = certificate.Thumbprint;
        Password = password;
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"leaderless-tls-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(Path, certificate.Export(X509ContentType.Pfx, password));
    }

    public string Path { get; }

    public string Password { get; }

    public string Thumbprint { get; }

    public void Dispose() => File.Delete(Path);
}
