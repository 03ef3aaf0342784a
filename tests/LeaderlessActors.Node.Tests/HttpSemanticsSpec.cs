using System.Net;
using System.Text;
using Xunit;

namespace LeaderlessActors.Node.Tests;

/// <summary>DELETE preconditions, keys with '/', problem details and the body limit, on the shared three-node cluster.</summary>
public class HttpSemanticsSpec(ThreeNodeCluster cluster) : ThreeNodeSpec(cluster)
{
    [Fact]
    public async Task A_delete_without_a_context_is_refused_with_428_and_changes_nothing()
    {
        using (var put = await Node(0).PutKeyAsync("no-context-delete", "kept", query: "?w=all"))
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        var before = await ReplicasAsync("no-context-delete");

        using var delete = await Node(1).DeleteKeyAsync("no-context-delete", context: null);

        Assert.Equal(HttpStatusCode.PreconditionRequired, delete.StatusCode);
        Assert.Equal("application/problem+json", delete.Content.Headers.ContentType?.MediaType);
        var problem = await Json.BodyAsync(delete);
        Assert.Equal("context_required", problem.GetProperty("error").GetString());
        Assert.Equal(428, problem.GetProperty("status").GetInt32());
        Assert.Equal(before, await ReplicasAsync("no-context-delete"));
        using var read = await Node(0).GetKeyAsync("no-context-delete", "?r=all");
        Assert.Equal("kept", await read.TextAsync());
    }

    [Fact]
    public async Task A_forced_delete_without_a_context_removes_whatever_the_key_holds()
    {
        using (var first = await Node(0).PutKeyAsync("forced-delete", "one", query: "?w=all"))
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        using (var second = await Node(1).PutKeyAsync("forced-delete", "two", query: "?w=all")) // a sibling: no context
            Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);

        using var delete = await Node(1).DeleteKeyAsync("forced-delete", context: null, "?force=true&w=all");

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var read = await Node(0).GetKeyAsync("forced-delete", "?r=all");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task A_key_with_a_slash_sent_as_percent_2F_is_stored_as_the_slash()
    {
        using (var put = await Node(0).SendAsync(Raw(HttpMethod.Put, "/kv/dir%2Fleaf", "with a slash")))
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);

        using var read = await Node(1).SendAsync(Raw(HttpMethod.Get, "/kv/dir%2Fleaf?r=all"));
        Assert.Equal("with a slash", await read.TextAsync());
        using var json = await Node(1).GetAsync("/kv/dir%2Fleaf/replicas");
        Assert.Equal("dir/leaf", (await Json.BodyAsync(json)).GetProperty("key").GetString());
        // "%252F" is the literal text "%2F" in a key, decoded once: another key.
        using var literal = await Node(1).SendAsync(Raw(HttpMethod.Get, "/kv/dir%252Fleaf?r=all"));
        Assert.Equal(HttpStatusCode.NotFound, literal.StatusCode);
    }

    [Fact]
    public async Task A_huge_streamed_body_is_refused_with_413_without_the_node_taking_it_all()
    {
        // 64 MiB, chunked (no Content-Length), on a raw connection that reads the answer while it is still sending: the
        // node answers long before the end and then closes the connection, which HttpClient reports as a send error.
        var address = Node(0).BaseAddress!;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        var answer = new StreamReader(stream, Encoding.ASCII).ReadLineAsync();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"PUT /kv/huge-stream HTTP/1.1\r\nHost: {address.Authority}\r\nTransfer-Encoding: chunked\r\n\r\n"));
        var chunk = Encoding.ASCII.GetBytes($"{64 * 1024:x}\r\n").Concat(new byte[64 * 1024]).Concat("\r\n"u8.ToArray()).ToArray();
        var sent = 0L;
        try
        {
            for (; sent < 64L << 20 && !answer.IsCompleted; sent += 64 * 1024) await stream.WriteAsync(chunk);
        }
        catch (IOException) { } // the node closed the connection after answering

        Assert.StartsWith("HTTP/1.1 413", await answer.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(sent < 16L << 20, $"the node read {sent} bytes before it answered");
        using var read = await Node(0).GetKeyAsync("huge-stream");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    private static HttpRequestMessage Raw(HttpMethod method, string pathAndQuery, string? body = null) =>
        new(method, pathAndQuery) { Content = body is null ? null : new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };

    private async Task<string> ReplicasAsync(string key)
    {
        using var response = await Node(1).GetAsync($"/kv/{key}/replicas");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.TextAsync();
    }
}
