using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Xunit;

namespace LeaderlessActors.Node.Tests;

/// <summary>What the .NET API and the HTTP API of one node agree on, and the bearer token.</summary>
public class InProcessNodeSpec
{
    [Fact]
    public async Task A_key_with_a_slash_is_the_same_key_over_http_and_through_the_dotnet_api()
    {
        await using var node = await InProcessNode.StartAsync();

        using (var put = await node.Http.PutAsync("/kv/a%2Fb", new ByteArrayContent("over http"u8.ToArray())))
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        var viaApi = await node.Store.GetAsync("a/b");
        Assert.Equal("over http", Encoding.UTF8.GetString(Assert.Single(viaApi.Values)));

        await node.Store.PutAsync("c/d%2Fe", "through the api"u8.ToArray());
        using var viaHttp = await node.Http.GetAsync("/kv/c%2Fd%252Fe");
        Assert.Equal("through the api", await viaHttp.TextAsync());
    }

    [Fact]
    public async Task With_a_bearer_token_every_endpoint_but_health_answers_401_without_it()
    {
        await using var node = await InProcessNode.StartAsync(authToken: "correct horse battery staple");

        foreach (var path in new[] { "/kv/guarded", "/kv/guarded/replicas", "/cluster", "/metrics", "/nowhere" })
        {
            using var response = await node.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("unauthorized", (await Json.BodyAsync(response)).GetProperty("error").GetString());
        }
        using (var wrong = await Send(node, HttpMethod.Put, "/kv/guarded", "Bearer correct horse battery stapler"))
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False((await node.Store.GetAsync("guarded")).Found);
        foreach (var path in new[] { "/health", "/health/live", "/health/ready" })
        {
            using var health = await node.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        using (var put = await Send(node, HttpMethod.Put, "/kv/guarded", "Bearer correct horse battery staple"))
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        using var read = await Send(node, HttpMethod.Get, "/kv/guarded", "bearer correct horse battery staple");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task The_images_health_check_command_passes_on_a_healthy_node_and_fails_where_no_node_answers()
    {
        await using var node = await InProcessNode.StartAsync(authToken: "the health check needs no token");

        Assert.Equal(0, await HealthProbe.RunAsync([$"{node.Http.BaseAddress}health"], _ => null));
        Assert.Equal(1, await HealthProbe.RunAsync([], _ => $"{NodeProcesses.FreePorts(1)[0]}"));
    }

    private static Task<HttpResponseMessage> Send(InProcessNode node, HttpMethod method, string path, string authorization)
    {
        var request = new HttpRequestMessage(method, path) { Content = method == HttpMethod.Put ? new ByteArrayContent("v"u8.ToArray()) : null };
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        return node.Http.SendAsync(request);
    }
}
