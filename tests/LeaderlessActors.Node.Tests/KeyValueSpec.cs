using System.Net;
using System.Text;
using Xunit;

namespace LeaderlessActors.Node.Tests;

public class KeyValueSpec(ThreeNodeCluster cluster) : ThreeNodeSpec(cluster)
{
    [Theory]
    [InlineData("one")]
    [InlineData("quorum")]
    [InlineData("all")]
    [InlineData("2")]
    public async Task Put_get_and_delete_work_at_each_consistency_level(string level)
    {
        var key = $"level-{level}";
        using var put = await Node(0).PutKeyAsync(key, $"value at {level}", query: $"?w={level}");
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        var written = Kv.ContextOf(put);

        // R + W > N makes a read see the write; one and one do not, so that level is read back at all first.
        using var read = await Node(1).GetKeyAsync(key, $"?r={(level == "one" ? "all" : level)}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal($"value at {level}", await read.TextAsync());
        Assert.Equal(written, Kv.ContextOf(read));
        using (var readAtLevel = await Node(1).GetKeyAsync(key, $"?r={level}"))
            Assert.Equal(HttpStatusCode.OK, readAtLevel.StatusCode);

        using var delete = await Node(1).DeleteKeyAsync(key, written, $"?w={level}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var gone = await Node(0).GetKeyAsync(key, "?r=all");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.False(string.IsNullOrEmpty(Kv.ContextOf(gone)));
    }

    [Fact]
    public async Task Concurrent_writes_come_back_as_300_siblings_and_a_write_with_their_context_resolves_them()
    {
        using (var first = await Node(0).PutKeyAsync("siblings", "from node 0")) Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        using (var second = await Node(1).PutKeyAsync("siblings", "from node 1")) Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);

        using var conflict = await Node(0).GetKeyAsync("siblings");
        Assert.Equal(HttpStatusCode.MultipleChoices, conflict.StatusCode);
        var body = await Json.BodyAsync(conflict);
        var values = body.GetProperty("values").EnumerateArray().Select(v => Encoding.UTF8.GetString(v.GetBytesFromBase64())).Order();
        Assert.Equal(["from node 0", "from node 1"], values);
        Assert.True(body.GetProperty("found").GetBoolean());
        Assert.Equal(Kv.ContextOf(conflict), body.GetProperty("context").GetString());

        using (var resolve = await Node(1).PutKeyAsync("siblings", "merged", Kv.ContextOf(conflict)))
            Assert.Equal(HttpStatusCode.NoContent, resolve.StatusCode);
        using var resolved = await Node(0).GetKeyAsync("siblings");
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal("merged", await resolved.TextAsync());
    }

    [Fact]
    public async Task Accept_json_answers_json_for_a_value_and_for_an_absent_key()
    {
        using (var put = await Node(0).PutKeyAsync("json", "v")) Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);

        using var found = await Node(1).GetKeyAsync("json", json: true);
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var body = await Json.BodyAsync(found);
        Assert.Equal("json", body.GetProperty("key").GetString());
        Assert.Equal("v", Encoding.UTF8.GetString(Assert.Single(body.GetProperty("values").EnumerateArray()).GetBytesFromBase64()));
        Assert.True(body.GetProperty("found").GetBoolean());

        using var absent = await Node(1).GetKeyAsync("json-never-written", json: true);
        Assert.Equal(HttpStatusCode.NotFound, absent.StatusCode);
        var empty = await Json.BodyAsync(absent);
        Assert.False(empty.GetProperty("found").GetBoolean());
        Assert.Empty(empty.GetProperty("values").EnumerateArray());
    }
}
