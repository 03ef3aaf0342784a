using LeaderlessActors.Replication;
using Xunit;

namespace LeaderlessActors.Tests.Storage;

public class HistoryCheckSpecs
{
    [Fact]
    public void Consecutive_events_from_the_start_are_a_whole_history()
    {
        var check = new HistoryCheck();
        for (var seq = 1; seq <= 5; seq++) check.Event(seq);
        check.Completed(5);
        Assert.Null(check.Lost);
    }

    [Fact]
    public void Events_after_a_snapshot_continue_from_its_sequence_number()
    {
        var check = new HistoryCheck();
        check.Snapshot(10);
        check.Event(11);
        check.Completed(11);
        Assert.Null(check.Lost);
    }

    [Fact]
    public void A_journal_that_starts_after_event_one_without_a_snapshot_misses_its_beginning()
    {
        var check = new HistoryCheck();
        check.Event(4);
        check.Completed(4);
        Assert.Equal("journal events 1..3 are missing", check.Lost);
    }

    [Fact]
    public void A_journal_whose_events_are_all_gone_misses_them_up_to_its_highest_sequence_number()
    {
        var check = new HistoryCheck();
        check.Completed(7);
        Assert.Equal("journal events 1..7 are missing", check.Lost);
    }

    [Fact]
    public void A_loss_answered_further_on_no_longer_counts_but_a_later_one_does()
    {
        var check = new HistoryCheck();
        check.Event(1);
        check.Lose("journal event 2 is unreadable");
        check.Event(2);
        check.Event(3);
        check.Answered();
        Assert.Null(check.Lost);
        check.Event(5);
        Assert.Equal("journal event 4 is missing", check.Lost);
    }

    [Fact]
    public void A_journal_that_ends_before_its_snapshot_lost_its_events()
    {
        var check = new HistoryCheck();
        check.Snapshot(10);
        check.Completed(0);
        Assert.Equal("the journal ends at event 0, before the snapshot at event 10", check.Lost);
    }
}
