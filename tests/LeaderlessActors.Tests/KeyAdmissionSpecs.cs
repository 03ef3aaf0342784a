using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests;

/// <summary>The bounds every replica holds a key to: <see cref="KeyAdmission"/>.</summary>
public sealed class KeyAdmissionSpecs
{
    private static readonly KeyLimits Limits = new(MaxSiblings: 2, MaxStateBytes: 1000, MaxClockEntries: 3);

    private static SiblingSet Written(SiblingSet state, long replica, int bytes, VersionVector? context = null) =>
        state.Update(context ?? VersionVector.Empty, new byte[bytes], replica);

    [Fact]
    public void A_write_within_every_bound_is_taken_and_names_its_dot()
    {
        var refusal = KeyAdmission.Coordinate("k", SiblingSet.Empty, VersionVector.Empty, [1, 2], 7, Limits, out var state, out var issued);
        Assert.Null(refusal);
        Assert.Equal(new Dot(7, 1), issued);
        Assert.Contains(state.Siblings, s => s.Dot == issued);
    }

    [Fact]
    public void A_write_that_would_pass_the_byte_bound_is_refused_as_a_key_state_limit()
    {
        var held = Written(SiblingSet.Empty, 1, 600);
        var other = Enumerable.Repeat((byte)1, 600).ToArray(); // not the held value, which a retry would find in place
        var refusal = KeyAdmission.Coordinate("k", held, VersionVector.Empty, other, 2, Limits, out var state, out _);
        Assert.Equal(ReplicaFailure.KeyStateLimit, refusal?.Failure);
        Assert.Contains("leaderless.max-key-state-bytes is 1000", refusal!.Message);
        Assert.Equal(2, state.Siblings.Count); // what the write would have left, not stored by the replica
    }

    [Fact]
    public void A_write_that_shrinks_a_state_already_past_the_byte_bound_is_taken_so_the_key_is_never_jammed()
    {
        // Two concurrent writes joined by repair can pass the bound; a write with a read's context resolves them.
        var joined = Written(SiblingSet.Empty, 1, 700).Merge(Written(SiblingSet.Empty, 2, 700));
        Assert.Null(KeyAdmission.Coordinate("k", joined, joined.Clock, new byte[700], 1, Limits, out var state, out _));
        Assert.Single(state.Siblings);
    }

    [Fact]
    public void A_write_that_would_pass_the_sibling_bound_is_refused_as_a_sibling_limit()
    {
        var held = Written(Written(SiblingSet.Empty, 1, 1), 2, 2);
        var refusal = KeyAdmission.Coordinate("k", held, VersionVector.Empty, [3, 3, 3], 3, Limits, out _, out _);
        Assert.Equal(ReplicaFailure.SiblingLimit, refusal?.Failure);
    }

    [Fact]
    public void A_write_that_would_pass_the_clock_bound_is_refused_as_a_key_state_limit()
    {
        var wide = VersionVector.From([new VersionVector.Entry(1, 1), new VersionVector.Entry(2, 1), new VersionVector.Entry(3, 1)]);
        var refusal = KeyAdmission.Coordinate("k", SiblingSet.Empty, wide, [1], 4, Limits, out _, out _);
        Assert.Equal(ReplicaFailure.KeyStateLimit, refusal?.Failure);
        Assert.Contains("clock entries", refusal!.Message);
    }

    [Fact]
    public void A_write_whose_counter_would_pass_long_MaxValue_is_refused_instead_of_wrapping()
    {
        var exhausted = VersionVector.From([new VersionVector.Entry(4, long.MaxValue)]);
        var refusal = KeyAdmission.Coordinate("k", SiblingSet.Empty, exhausted, [1], 4, Limits, out var state, out _);
        Assert.Equal(ReplicaFailure.KeyStateLimit, refusal?.Failure);
        Assert.Contains("long.MaxValue", refusal!.Message);
        Assert.Same(SiblingSet.Empty, state);
    }

    [Fact]
    public void A_replicated_write_is_held_to_the_receiving_replicas_own_sibling_bound()
    {
        var held = Written(Written(SiblingSet.Empty, 1, 1), 2, 2);
        var incoming = Written(SiblingSet.Empty, 3, 3);
        Assert.Equal(ReplicaFailure.SiblingLimit, KeyAdmission.Replicate(held, held.Merge(incoming), Limits)?.Failure);
        Assert.Null(KeyAdmission.Replicate(SiblingSet.Empty, incoming, Limits));
        // Bytes are judged where the version is made: two concurrent writes stored on different replicas are joined.
        var large = Written(SiblingSet.Empty, 4, 900);
        Assert.Null(KeyAdmission.Replicate(large, large.Merge(Written(SiblingSet.Empty, 5, 901)), Limits));
    }
}
