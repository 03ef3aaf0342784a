using LeaderlessActors.Replication;
using LeaderlessActors.Tests.Storage;
using Xunit;

namespace LeaderlessActors.Tests.Replication;

/// <summary>The progress of a resync without messaging: <see cref="ResyncState{TPeer,TStreamer}"/>.</summary>
public sealed class ResyncStateSpecs
{
    private static readonly object Streamer = new();

    private static ResyncState<string, object> NewState(bool fromEveryPeer = false) => new(fromEveryPeer, TestReplicas.Repair, TimeProvider.System);

    [Fact]
    public void A_peer_asked_twice_counts_its_first_answer_and_ignores_the_other_request()
    {
        var state = NewState();
        state.Asked(1, "a");
        state.Asked(2, "a");

        Assert.True(state.ChunkReceived(2, "a", keys: 0, last: true, Streamer));

        Assert.False(state.ChunkReceived(1, "a", keys: 0, last: true, Streamer));
        Assert.False(state.ChunkReceived(2, "b", keys: 0, last: true, Streamer)); // not from the peer asked
    }

    [Fact]
    public void The_peers_word_is_told_once_at_the_first_answer()
    {
        var state = NewState();
        state.Asked(1, "a");
        state.Asked(2, "b");
        Assert.False(state.TellPeersChecked());

        state.ChunkReceived(1, "a", keys: 1, last: false, Streamer);

        Assert.True(state.TellPeersChecked());
        Assert.False(state.TellPeersChecked());
        Assert.Equal(["b"], state.SilentPeers(["a", "b"]));
    }

    [Fact]
    public void A_chunk_asks_for_the_next_once_its_keys_are_stored_and_the_last_one_completes_the_sync()
    {
        var state = NewState();
        state.Asked(1, "a");
        state.ChunkReceived(1, "a", keys: 2, last: false, Streamer);
        state.KeyStored(1);
        Assert.Equal((false, null), state.ChunkProgress(1));
        state.KeyStored(1);
        Assert.Equal((true, Streamer), state.ChunkProgress(1));
        Assert.False(state.Done);

        state.ChunkReceived(1, "a", keys: 0, last: true, Streamer);

        Assert.Equal((true, null), state.ChunkProgress(1));
        Assert.True(state.Done);
        Assert.False(state.KeyStored(1)); // the request is over
    }

    [Fact]
    public void Unreachable_peers_are_forgotten_by_a_sync_with_the_reachable_ones_but_not_by_one_with_every_peer()
    {
        foreach (var fromEveryPeer in new[] { false, true })
        {
            var state = NewState(fromEveryPeer);
            state.Asked(1, "a");
            state.Asked(2, "b");

            Assert.Equal(["b"], state.DropUnreachable(p => p != "b"));

            Assert.Equal(fromEveryPeer ? ["a", "b"] : ["a"], state.PendingPeers.Order());
        }
    }
}
