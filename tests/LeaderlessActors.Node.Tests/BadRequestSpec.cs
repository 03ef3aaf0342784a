using System.Net;
using Xunit;

namespace LeaderlessActors.Node.Tests;

public class BadRequestSpec(ThreeNodeCluster cluster) : ThreeNodeSpec(cluster)
{
    public static TheoryData<string, string, string?, string, int, string> BadRequests => new()
    {
        // method, key, context header, query, status, error code
        { "PUT", "bad", null, "?w=five", 400, "bad_consistency" },
        { "PUT", "bad", null, "?w=4", 400, "bad_consistency" },
        { "GET", "bad", null, "?r=0", 400, "bad_consistency" },
        { "DELETE", "bad", null, "?w=many", 400, "bad_consistency" },
        { "PUT", "bad", "not a context!", "", 400, "malformed_context" },
        { "DELETE", "bad", "AQAAAA", "", 400, "malformed_context" },
        { "GET", "bad", null, "?timeout=soon", 400, "bad_timeout" },
        { "PUT", "bad", null, "?sloppy=maybe", 400, "bad_parameter" },
        { "PUT", "", null, "", 400, "bad_key" },
        { "GET", new string('k', 1025), null, "", 400, "bad_key" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_refused_with_its_status_and_a_problem_details_error(string method, string key, string? context, string query,
        int status, string error)
    {
        using var request = Kv.Request(new HttpMethod(method), key, query, context,
            method == "PUT" ? new ByteArrayContent("x"u8.ToArray()) : null);
        using var response = await Node(0).SendAsync(request);
        Assert.Equal(status, (int)response.StatusCode);
        var body = await Json.BodyAsync(response);
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        // RFC 9457 problem details around the same code and message.
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(status, body.GetProperty("status").GetInt32());
        Assert.Equal($"urn:leaderless:problem:{error}", body.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("title").GetString()));
        Assert.Equal(body.GetProperty("message").GetString(), body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_value_over_max_value_bytes_is_refused_with_413_and_a_json_error()
    {
        using var response = await Node(0).PutKeyAsync("too-large", new string('v', 65537));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var body = await Json.BodyAsync(response);
        Assert.Equal("value_too_large", body.GetProperty("error").GetString());
        Assert.Contains("65536", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Malformed_requests_change_nothing_on_any_replica()
    {
        using (var put = await Node(0).PutKeyAsync("untouched", "original", query: "?w=all"))
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        var before = await ReplicasAsync("untouched");
        using var read = await Node(1).GetKeyAsync("untouched", "?r=all");
        var context = Kv.ContextOf(read);

        var attempts = new Func<Task<HttpResponseMessage>>[]
        {
            () => Node(0).PutKeyAsync("untouched", "changed", context, "?w=five"),
            () => Node(0).PutKeyAsync("untouched", "changed", "garbage!"),
            () => Node(1).PutKeyAsync("untouched", new string('v', 65537), context),
            () => Node(1).PutKeyAsync("untouched", "changed", context, "?timeout=-1"),
            () => Node(0).DeleteKeyAsync("untouched", "garbage!"),
            () => Node(1).DeleteKeyAsync("untouched", context, "?w=4"),
        };
        foreach (var attempt in attempts)
        {
            using var response = await attempt();
            Assert.InRange((int)response.StatusCode, 400, 499);
        }

        Assert.Equal(before, await ReplicasAsync("untouched"));
        using var after = await Node(0).GetKeyAsync("untouched", "?r=all");
        Assert.Equal("original", await after.TextAsync());
        Assert.Equal(context, Kv.ContextOf(after));
    }

    [Fact]
    public async Task An_overloaded_node_answers_429_with_retry_after_and_a_json_error()
    {
        // Node 2 coordinates one request at a time; a burst of reads must meet its bound.
        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Node(2).GetKeyAsync($"burst-{i}")));
        try
        {
            var overloaded = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToArray();
            Assert.NotEmpty(overloaded);
            Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests }));
            Assert.Equal("1", overloaded[0].Headers.RetryAfter?.ToString());
            var body = await Json.BodyAsync(overloaded[0]);
            Assert.Equal("overloaded", body.GetProperty("error").GetString());
            Assert.Equal(1, body.GetProperty("limit").GetInt32());
        }
        finally
        {
            foreach (var r in responses) r.Dispose();
        }
    }

    private async Task<string> ReplicasAsync(string key)
    {
        using var response = await Node(1).GetAsync($"/kv/{key}/replicas");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.TextAsync();
    }
}
