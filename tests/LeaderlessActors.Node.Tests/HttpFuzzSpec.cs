using System.Net;
using System.Net.Sockets;
using System.Text;
using CsCheck;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.Node.Tests;

/// <summary>
/// Random requests and random remoting bytes against one in-process node: never a 5xx other than 503/504, the node keeps
/// serving, and writes acknowledged meanwhile stay readable. CsCheck prints the seed of a failing run ("Set seed").
/// </summary>
public class HttpFuzzSpec(ITestOutputHelper output)
{
    private static readonly string[] Methods = ["GET", "PUT", "DELETE", "POST", "HEAD"];
    private static readonly string[] ParameterNames = ["r", "w", "timeout", "force", "junk", ""];
    private static readonly string[] ParameterValues =
        ["one", "quorum", "all", "0", "1", "2", "4", "-1", "99999999999", "500ms", "2s", "0ms", "3600001", "true", "false", "", "%", "%zz"];

    private static readonly Gen<string> KeySegment = Gen.OneOf(
        Gen.String[Gen.Char["abc/%?#&=+. é€😀\\:;~-_0"], 0, 24].Select(Uri.EscapeDataString), // a key, encoded
        Gen.String[Gen.Char["abc%/.2F5eG0"], 0, 24]); // raw text: bad escapes, dot segments, separators

    private static readonly Gen<string> Query = Gen.Select(Gen.OneOfConst(ParameterNames), Gen.OneOf(Gen.OneOfConst(ParameterValues),
            Gen.String[Gen.Char.AlphaNumeric, 0, 8]))
        .Select(p => $"{Uri.EscapeDataString(p.Item1)}={Uri.EscapeDataString(p.Item2)}").Array[0, 3]
        .Select(ps => ps.Length == 0 ? "" : "?" + string.Join("&", ps));

    private static readonly Gen<byte[]> Value = Gen.Frequency((20, Gen.Byte.Array[0, 512]), (1, Gen.Byte.Array[65_000, 66_000]));

    /// <summary>No header, a random token, printable garbage, or a context the node issued, cut short or extended.</summary>
    private static Gen<Func<string?, string?>> Context() => Gen.OneOf(
        Gen.Const<Func<string?, string?>>(_ => null),
        Gen.String[Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"], 0, 80].Select(s => (Func<string?, string?>)(_ => s)),
        Gen.String[Gen.Char[' ', '~'], 0, 40].Select(s => (Func<string?, string?>)(_ => s)),
        Gen.Int[0, 60].Select(n => (Func<string?, string?>)(real => real?[..Math.Min(n, real.Length)])),
        Gen.String[Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"], 1, 40]
            .Select(s => (Func<string?, string?>)(real => real + s)),
        Gen.Const<Func<string?, string?>>(real => real));

    [Fact]
    public async Task Random_requests_never_get_a_5xx_other_than_503_or_504_and_acknowledged_writes_stay_readable()
    {
        await using var node = await InProcessNode.StartAsync();
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        string? lastContext = null;
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();

        var requests = Gen.Select(Gen.OneOfConst(Methods), KeySegment, Query, Context(), Value, Gen.Bool);
        await requests.SampleAsync(async (method, key, query, context, value, json) =>
        {
            var witness = $"witness-{Guid.NewGuid():N}";
            using (var put = await node.Http.PutAsync($"/kv/{witness}", new StringContent(witness)))
                if (put.StatusCode == HttpStatusCode.NoContent) acknowledged[witness] = witness;

            if (!Uri.TryCreate(node.Http.BaseAddress!, $"/kv/{key}{query}", out var uri)) return;
            using var request = new HttpRequestMessage(new HttpMethod(method), uri);
            if (method is "PUT" or "POST") request.Content = new ByteArrayContent(value);
            if (context(lastContext) is { } header) request.Headers.TryAddWithoutValidation(Kv.ContextHeader, header);
            if (json) request.Headers.Accept.ParseAdd("application/json");
            using var response = await node.Http.SendAsync(request);
            if (response.Headers.TryGetValues(Kv.ContextHeader, out var issued)) lastContext = issued.First();

            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            Assert.True(status < 500 || status is 503 or 504,
                $"{method} {uri.PathAndQuery} answered {status}: {await response.Content.ReadAsStringAsync()}");
        }, iter: 300, threads: 1, writeLine: output.WriteLine);

        output.WriteLine("answers: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} x{s.Value}")));
        Assert.NotEmpty(acknowledged);
        foreach (var (key, value) in acknowledged)
        {
            using var read = await node.Http.GetAsync($"/kv/{key}");
            Assert.Equal(value, await read.TextAsync());
        }
    }

    [Fact]
    public async Task Random_bytes_on_the_remoting_port_leave_the_node_serving_and_its_data_intact()
    {
        await using var node = await InProcessNode.StartAsync();
        using (var put = await node.Http.PutAsync("/kv/before-the-noise", new StringContent("still here")))
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);

        // Raw noise, and frames with a length prefix (what DotNetty's decoder reads first) around random payloads.
        var noise = Gen.OneOf(Gen.Byte.Array[1, 4096],
            Gen.Select(Gen.Int[0, 200_000], Gen.Byte.Array[0, 2048]).Select(f =>
                BitConverter.GetBytes(IPAddress.HostToNetworkOrder(f.Item1)).Concat(f.Item2).ToArray()));
        await noise.SampleAsync(async bytes =>
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, node.RemotePort);
            try
            {
                await tcp.GetStream().WriteAsync(bytes);
            }
            catch (IOException) { } // the node dropped the connection: that is a fine answer to noise
        }, iter: 100, threads: 1, writeLine: output.WriteLine);

        using var health = await node.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var read = await node.Http.GetAsync("/kv/before-the-noise");
        Assert.Equal("still here", await read.TextAsync());
        using var write = await node.Http.PutAsync("/kv/after-the-noise", new ByteArrayContent(Encoding.UTF8.GetBytes("served")));
        Assert.Equal(HttpStatusCode.NoContent, write.StatusCode);
    }
}
