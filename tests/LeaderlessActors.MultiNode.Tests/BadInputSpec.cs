using Akka.Actor;
using System.Text;
using Xunit;

namespace LeaderlessActors.MultiNode.Tests;

/// <summary>A shared 3-node cluster for specs that only check rejected requests; each spec uses its own keys.</summary>
public sealed class SharedClusterFixture : TestClusterFixture
{
    protected override TestClusterOptions Options => new() { Nodes = 3, ExtraConfig = "leaderless.max-value-bytes = 1000" };
}

public class BadInputSpec(SharedClusterFixture fixture) : IClassFixture<SharedClusterFixture>
{
    private LeaderlessStore Store => fixture.Cluster.Store(0);

    private async Task AssertNothingStored(string key)
    {
        var inspection = await fixture.Cluster.Store(1).InspectAsync(key);
        Assert.Equal(3, inspection.Replicas.Count);
        Assert.All(inspection.Replicas, r => Assert.Empty(r.Versions));
    }

    [Fact]
    public async Task An_empty_key_is_rejected()
    {
        var e = await Assert.ThrowsAsync<InvalidRequestException>(() => Store.PutAsync("", "v"u8.ToArray()));
        Assert.Equal(InvalidRequestReason.EmptyKey, e.Reason);
        await Assert.ThrowsAsync<InvalidRequestException>(() => Store.GetAsync(""));
    }

    [Fact]
    public async Task A_key_over_max_key_bytes_is_rejected_and_nothing_is_stored()
    {
        var key = new string('k', 1025);
        var e = await Assert.ThrowsAsync<InvalidRequestException>(() => Store.PutAsync(key, "v"u8.ToArray()));
        Assert.Equal(InvalidRequestReason.KeyTooLarge, e.Reason);
        Assert.Contains("max-key-bytes", e.Message);
        // A multi-byte key is measured in UTF-8 bytes, not characters: 400 'é' are 800 bytes and pass, 600 are 1200.
        await Store.PutAsync(new string('é', 400), "v"u8.ToArray());
        await Assert.ThrowsAsync<InvalidRequestException>(() => Store.PutAsync(new string('é', 600), "v"u8.ToArray()));
    }

    [Fact]
    public async Task A_value_over_max_value_bytes_is_rejected_and_nothing_is_stored()
    {
        var e = await Assert.ThrowsAsync<InvalidRequestException>(() => Store.PutAsync("big", new byte[1001]));
        Assert.Equal(InvalidRequestReason.ValueTooLarge, e.Reason);
        Assert.Contains("max-value-bytes", e.Message);
        await AssertNothingStored("big");
        await Store.PutAsync("just-fits", new byte[1000]);
    }

    [Fact]
    public async Task A_consistency_above_the_replication_factor_is_rejected_and_nothing_is_stored()
    {
        var e = await Assert.ThrowsAsync<InvalidRequestException>(() =>
            Store.PutAsync("four", "v"u8.ToArray(), options: new WriteOptions { Consistency = Consistency.Of(4) }));
        Assert.Equal(InvalidRequestReason.ConsistencyOutOfRange, e.Reason);
        await AssertNothingStored("four");
        var read = await Assert.ThrowsAsync<InvalidRequestException>(() =>
            Store.GetAsync("four", new ReadOptions { Consistency = Consistency.Of(0) }));
        Assert.Equal(InvalidRequestReason.ConsistencyOutOfRange, read.Reason);
    }

    [Fact]
    public async Task A_malformed_context_is_rejected_before_any_write()
    {
        var e = Assert.Throws<InvalidRequestException>(() => CausalContext.Parse("not-a-context!"));
        Assert.Equal(InvalidRequestReason.MalformedContext, e.Reason);
        Assert.False(CausalContext.TryParse("Ag", out _)); // an unknown format version
        Assert.False(CausalContext.TryParse("AQAB", out _)); // a truncated entry
        await AssertNothingStored("malformed");
    }

    [Fact]
    public async Task A_non_positive_timeout_is_rejected_and_nothing_is_stored()
    {
        var e = await Assert.ThrowsAsync<InvalidRequestException>(() =>
            Store.PutAsync("timeout", "v"u8.ToArray(), options: new WriteOptions { Timeout = TimeSpan.Zero }));
        Assert.Equal(InvalidRequestReason.InvalidTimeout, e.Reason);
        await AssertNothingStored("timeout");
    }

    [Fact]
    public async Task The_actor_protocol_answers_a_bad_request_with_its_correlation_id()
    {
        var id = Guid.NewGuid();
        var answer = await Store.Gateway.Ask<RequestFailed>(new PutRequest(id, "", "v"u8.ToArray()), TimeSpan.FromSeconds(10));
        Assert.Equal(id, answer.CorrelationId);
        Assert.IsType<InvalidRequestException>(answer.Error);
        var ok = await Store.Gateway.Ask<WriteResponse>(new PutRequest(id, "actor-key", Encoding.UTF8.GetBytes("v")), TimeSpan.FromSeconds(10));
        Assert.Equal(id, ok.CorrelationId);
    }
}
