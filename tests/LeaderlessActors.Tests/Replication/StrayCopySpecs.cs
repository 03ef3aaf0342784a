using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests.Replication;

/// <summary>The rules of a stray copy (<see cref="StrayCopy"/>) and the progress of its hand-over
/// (<see cref="StrayHandoverState{TPeer}"/>), without messaging.</summary>
public sealed class StrayCopySpecs
{
    private static readonly string[] Owners = ["a", "b", "c"];

    [Fact]
    public void A_copy_is_a_stray_only_off_the_owners_with_no_move_known_the_history_learned_keys_held_and_its_node_in_the_ring()
    {
        Assert.True(StrayCopy.IsStray(Owners, "x", inRing: true, moving: false, historyKnown: true, keys: 1));

        Assert.False(StrayCopy.IsStray(Owners, "a", inRing: true, moving: false, historyKnown: true, keys: 1)); // an owner
        Assert.False(StrayCopy.IsStray(Owners, "x", inRing: true, moving: true, historyKnown: true, keys: 1)); // the move ends it
        Assert.False(StrayCopy.IsStray(Owners, "x", inRing: true, moving: false, historyKnown: false, keys: 1)); // a move may be unknown yet
        Assert.False(StrayCopy.IsStray(Owners, "x", inRing: true, moving: false, historyKnown: true, keys: 0)); // nothing to hand over
        Assert.False(StrayCopy.IsStray(Owners, "x", inRing: false, moving: false, historyKnown: true, keys: 1)); // leaving: handed off as it goes
        Assert.False(StrayCopy.IsStray(Array.Empty<string>(), "x", inRing: true, moving: false, historyKnown: true, keys: 1)); // nobody to take it
    }

    [Fact]
    public void A_key_is_handed_over_until_the_owners_stored_a_state_that_descends_the_one_held()
    {
        var first = State(1, [1]);
        var later = first.Update(first.Clock, [2], 1);
        var held = new Dictionary<string, SiblingSet> { ["same"] = first, ["newer"] = later, ["new"] = first, ["dropped"] = SiblingSet.Empty };
        var handed = new Dictionary<string, SiblingSet> { ["same"] = first, ["newer"] = first };

        var left = StrayCopy.NotHandedOver(held, handed).Select(kv => kv.Key).Order().ToArray();

        Assert.Equal(["new", "newer"], left);
        Assert.Empty(StrayCopy.NotHandedOver(held, new Dictionary<string, SiblingSet>(held) { ["newer"] = later.Merge(State(2, [3])) }));
    }

    [Fact]
    public void The_next_chunk_goes_only_once_every_owner_stored_every_key_of_the_current_one()
    {
        var keys = Enumerable.Range(0, 5).Select(i => new KeyValuePair<string, SiblingSet>($"k{i}", State(i + 1, new byte[400]))).ToArray();
        var state = new StrayHandoverState<string>(["a", "b"], keys, chunkBytes: 1100); // two keys a chunk (534 bytes each)

        var (chunk, bytes) = state.NextChunk();
        Assert.Equal(["k0", "k1"], chunk.Select(kv => kv.Key));
        Assert.Equal(keys[..2].Sum(kv => KeyStateSize.Of(kv.Key, kv.Value)), bytes);
        Assert.False(state.Stored("a"));
        Assert.False(state.Stored("a"));
        Assert.False(state.Stored("a")); // one more than the chunk holds counts for nothing
        Assert.False(state.Stored("x")); // not an owner
        Assert.Throws<InvalidOperationException>(() => state.NextChunk());
        Assert.False(state.Stored("b"));
        Assert.True(state.Stored("b"));

        Assert.Equal(["k2", "k3"], state.NextChunk().Keys.Select(kv => kv.Key));
        foreach (var owner in new[] { "a", "a", "b", "b" }) state.Stored(owner);
        Assert.False(state.Done);
        Assert.Equal(["k4"], state.NextChunk().Keys.Select(kv => kv.Key));
        Assert.False(state.Stored("b"));
        Assert.True(state.Stored("a"));
        Assert.True(state.Done);
        Assert.Empty(state.NextChunk().Keys);
    }

    [Fact]
    public void A_hand_over_of_nothing_is_done_at_once()
    {
        var state = new StrayHandoverState<string>(["a"], [], chunkBytes: 1024);

        Assert.Empty(state.NextChunk().Keys);
        Assert.True(state.Done);
    }

    private static SiblingSet State(long epoch, byte[] value) => SiblingSet.Empty.Update(VersionVector.Empty, value, epoch);
}
