using Akka.Configuration;
using Xunit;

namespace LeaderlessActors.Node.Tests;

/// <summary>How the node's options and their environment variables land in its configuration.</summary>
public class NodeOptionsSpec
{
    private const string Secret = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    [Fact]
    public void The_context_secret_option_sets_the_stores_context_secret() =>
        Assert.Equal(Secret, ConfigOf(["--context-secret", Secret]).GetString("leaderless.context.secret"));

    [Fact]
    public void The_context_secret_environment_variable_sets_the_stores_context_secret() =>
        Assert.Equal(Secret, ConfigOf([], ("LEADERLESS_CONTEXT_SECRET", Secret)).GetString("leaderless.context.secret"));

    [Fact]
    public void The_auth_token_option_and_environment_variable_set_the_http_token()
    {
        Assert.Equal("from-option", ConfigOf(["--auth-token", "from-option"], ("LEADERLESS_AUTH_TOKEN", "from-env"))
            .GetString("leaderless-node.http.auth-token"));
        Assert.Equal("from-env", ConfigOf([], ("LEADERLESS_AUTH_TOKEN", "from-env")).GetString("leaderless-node.http.auth-token"));
    }

    [Fact]
    public void The_tls_certificate_options_turn_on_remoting_tls_with_that_certificate()
    {
        using var certificate = new SelfSignedCertificate("pfx password");
        var config = ConfigOf(["--tls-certificate", certificate.Path], ("LEADERLESS_TLS_CERTIFICATE_PASSWORD", "pfx password"));

        Assert.True(config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
        Assert.Equal(certificate.Path, config.GetString("akka.remote.dot-netty.tcp.ssl.certificate.path"));
        Assert.Equal("pfx password", config.GetString("akka.remote.dot-netty.tcp.ssl.certificate.password"));
    }

    [Fact]
    public void With_tls_the_seeds_use_akkas_tls_address_scheme()
    {
        using var certificate = new SelfSignedCertificate("pfx password");
        var options = Read(["--tls-certificate", certificate.Path, "--tls-certificate-password", "pfx password", "--storage", "memory",
            "--seeds", "10.0.0.1:4053,10.0.0.2:4053"]);

        var seeds = NodeConfiguration.Load(options).Config.GetStringList("akka.cluster.seed-nodes");

        Assert.Equal(["akka.ssl.tcp://leaderless@10.0.0.1:4053", "akka.ssl.tcp://leaderless@10.0.0.2:4053"], seeds);
    }

    [Fact]
    public void Without_tls_options_remoting_stays_plain_tcp() =>
        Assert.False(ConfigOf([]).GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));

    [Fact]
    public void A_tls_certificate_with_the_wrong_password_stops_the_start_naming_the_option()
    {
        using var certificate = new SelfSignedCertificate("right");
        var options = Read(["--tls-certificate", certificate.Path, "--tls-certificate-password", "wrong", "--storage", "memory"]);

        var error = Assert.Throws<NodeOptionException>(() => NodeConfiguration.Load(options));

        Assert.StartsWith("Invalid --tls-certificate: cannot open", error.Message);
    }

    [Fact]
    public void A_tls_certificate_file_that_does_not_exist_is_refused_naming_the_option()
    {
        var error = Assert.Throws<NodeOptionException>(() => Read(["--tls-certificate", "/no/such/node.pfx"]));
        Assert.StartsWith("Invalid --tls-certificate", error.Message);
    }

    private static Config ConfigOf(string[] args, params (string Name, string Value)[] environment) =>
        Read(args, environment).ToConfig();

    private static NodeOptions Read(string[] args, params (string Name, string Value)[] environment)
    {
        var variables = environment.ToDictionary(e => e.Name, e => e.Value);
        var commandLine = new NodeCommandLine(name => variables.GetValueOrDefault(name));
        return commandLine.Read(commandLine.Command.Parse(args));
    }
}
