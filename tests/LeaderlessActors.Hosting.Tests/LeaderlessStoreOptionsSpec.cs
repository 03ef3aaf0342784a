using Akka.Configuration.Hocon;
using LeaderlessActors.Hosting;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace LeaderlessActors.Hosting.Tests;

/// <summary>The Hosting options cover every setting of reference.conf, bind from configuration, and reach the store.</summary>
public class LeaderlessStoreOptionsSpec
{
    private static readonly string Secret = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly string OldSecret = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i + 100)).ToArray());

    /// <summary>Every option set, each to a value other than its default.</summary>
    private static LeaderlessStoreOptions Everything() => new()
    {
        ReplicationFactor = 5,
        PartitionCount = 32,
        VirtualNodesPerMember = 64,
        ReadConsistency = Consistency.All,
        WriteConsistency = Consistency.Of(2),
        RequestTimeout = TimeSpan.FromSeconds(7),
        SettleWindow = TimeSpan.FromMilliseconds(1500),
        SpeculativeRetry = "25ms",
        SpeculativeRetryMinDelay = TimeSpan.FromMilliseconds(3),
        SpeculativeRetryMaxDelay = TimeSpan.FromMilliseconds(300),
        MaxKeyBytes = 2048,
        MaxValueBytes = ByteSize.Parse("2MiB"),
        MaxLiveCoordinators = 500,
        MaxQueuedRequests = 40,
        MaxSiblings = 10,
        MaxKeyStateBytes = ByteSize.Parse("16MiB"),
        MaxClockEntries = 200,
        ContextSecret = Secret,
        PreviousContextSecrets = [OldSecret],
        Storage = StorageBackend.Postgres,
        SnapshotEvery = 50,
        RecoveryBacklogLimit = 70,
        FanOutBeforeDurable = true,
        SqliteDataDirectory = "data \"quoted\"",
        SqliteConnectionString = "Data Source=x.db",
        SqliteJournal = SqliteJournalKind.AkkaPersistenceSql,
        SqliteSynchronous = SqliteSynchronous.Normal,
        SqliteWriteQueueLimit = 77,
        SqliteWriteBatchLimit = 7,
        PostgresConnectionString = "Host=127.0.0.1;Database=x",
        PostgresSchema = "kv",
        ResyncChunkBytes = ByteSize.Parse("64 KiB"),
        ResyncIdleTimeout = TimeSpan.FromSeconds(40),
        ResyncAskAgainAfter = TimeSpan.FromSeconds(2),
        ResyncRetryInterval = TimeSpan.FromSeconds(6),
        ReadHold = TimeSpan.FromMilliseconds(700),
        HintsEnabled = true,
        MaxHintsPerTarget = 9,
        HintReplayPerSecond = 99,
        HintReplayTimeout = TimeSpan.FromSeconds(3),
        HintSnapshotEvery = 33,
        SloppyQuorum = true,
        RingGossipInterval = TimeSpan.FromMilliseconds(300),
        RingStorageRetryInterval = TimeSpan.FromSeconds(9),
        RingAutoRemoveAfter = TimeSpan.FromHours(2),
        AntiEntropyEnabled = false,
        AntiEntropyInterval = TimeSpan.FromSeconds(45),
        AntiEntropyWorkers = 3,
        AntiEntropyConcurrency = 1,
        RepairBytesPerSecond = ByteSize.Parse("8MiB"),
        AntiEntropyExchangeTimeout = TimeSpan.FromSeconds(20),
        AntiEntropyTreeFanout = 8,
        AntiEntropyTreeDepth = 2,
        TombstoneGrace = TimeSpan.FromMinutes(2),
        HandoffRingCheckInterval = TimeSpan.FromMilliseconds(250),
        HandoffHistorySyncInterval = TimeSpan.FromSeconds(3),
        HandoffHistoryWait = TimeSpan.FromSeconds(4),
        MaxConcurrentFills = 6,
        ReleaseMovedCopies = false,
    };

    private static IEnumerable<string> Leaves(HoconObject section, string prefix) =>
        section.Items.SelectMany(item => item.Value.IsObject()
            ? Leaves(item.Value.GetObject(), $"{prefix}{item.Key}.")
            : [$"{prefix}{item.Key}"]);

    [Fact]
    public void Every_leaderless_setting_of_reference_conf_has_an_option()
    {
        var defaults = Leaves(LeaderlessConfig.Default().GetConfig("leaderless").Root.GetObject(), "").Order();
        var covered = Leaves(Everything().ToConfig().GetConfig("leaderless").Root.GetObject(), "").Order();
        Assert.Equal(defaults, covered);
    }

    [Fact]
    public void Every_option_reaches_the_store_settings()
    {
        var s = LeaderlessSettings.Create(Everything().ToConfig());
        Assert.Equal((5, 32, 64), (s.ReplicationFactor, s.PartitionCount, s.VirtualNodesPerMember));
        Assert.Equal((Consistency.All, Consistency.Of(2)), (s.ReadConsistency, s.WriteConsistency));
        Assert.Equal((TimeSpan.FromSeconds(7), TimeSpan.FromMilliseconds(1500)), (s.RequestTimeout, s.SettleWindow));
        Assert.Equal((true, TimeSpan.FromMilliseconds(25), TimeSpan.FromMilliseconds(3), TimeSpan.FromMilliseconds(300)),
            (s.ReadHedging.Enabled, s.ReadHedging.FixedDelay, s.ReadHedging.MinDelay, s.ReadHedging.MaxDelay));
        Assert.False(LeaderlessSettings.Create(new LeaderlessStoreOptions { SpeculativeRetry = "off" }.ToConfig()).ReadHedging.Enabled);
        Assert.Equal((2048, 2 * 1024 * 1024, 16L * 1024 * 1024), (s.MaxKeyBytes, s.MaxValueBytes, s.MaxKeyStateBytes));
        Assert.Equal((500, 40, 10, 200), (s.MaxLiveCoordinators, s.MaxQueuedRequests, s.MaxSiblings, s.MaxClockEntries));
        Assert.Equal(Convert.FromBase64String(Secret), s.Context.Secret);
        Assert.Equal(Convert.FromBase64String(OldSecret), Assert.Single(s.Context.PreviousSecrets));
        var storage = s.Storage;
        Assert.Equal((StorageBackend.Postgres, 50, 70, true),
            (storage.Backend, storage.SnapshotEvery, storage.RecoveryBacklogLimit, storage.FanOutBeforeDurable));
        Assert.Equal(("data \"quoted\"", "Data Source=x.db"), (storage.SqliteDataDirectory, storage.SqliteConnectionString));
        Assert.Equal((SqliteJournalKind.AkkaPersistenceSql, SqliteSynchronous.Normal, 77, 7),
            (storage.SqliteJournal, storage.SqliteSynchronous, storage.SqliteWriteQueueLimit, storage.SqliteWriteBatchLimit));
        Assert.Equal(("Host=127.0.0.1;Database=x", "kv"), (storage.PostgresConnectionString, storage.PostgresSchema));
        var repair = s.Repair;
        Assert.Equal(64 * 1024, repair.ChunkBytes);
        Assert.Equal((TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(6), TimeSpan.FromMilliseconds(700)),
            (repair.IdleTimeout, repair.AskAgainAfter, repair.RetryInterval, repair.ReadHold));
        var hints = s.Hints;
        Assert.Equal((true, 9, 99, TimeSpan.FromSeconds(3), 33, true),
            (hints.Enabled, hints.MaxPerTarget, hints.ReplayPerSecond, hints.ReplayTimeout, hints.SnapshotEvery, hints.SloppyQuorum));
        Assert.False(LeaderlessSettings.Create(new LeaderlessStoreOptions { HintsEnabled = false }.ToConfig()).Hints.Enabled);
        Assert.Equal((TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(9), TimeSpan.FromHours(2)),
            (s.Ring.GossipInterval, s.Ring.StorageRetryInterval, s.Ring.AutoRemoveAfter));
        var ae = s.AntiEntropy;
        Assert.Equal((false, TimeSpan.FromSeconds(45), 3, 1, 8L * 1024 * 1024),
            (ae.Enabled, ae.Interval, ae.Workers, ae.Concurrency, (long)ae.RepairBytesPerSecond));
        Assert.Equal((TimeSpan.FromSeconds(20), 8, 2, TimeSpan.FromMinutes(2)),
            (ae.ExchangeTimeout, ae.TreeFanout, ae.TreeDepth, ae.TombstoneGrace));
        Assert.Equal((TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4), 6, false),
            (s.Handoff.RingCheckInterval, s.Handoff.HistorySyncInterval, s.Handoff.HistoryWait, s.Handoff.MaxConcurrentFills,
                s.Handoff.ReleaseMovedCopies));
    }

    [Fact]
    public void Options_bind_from_configuration_with_sizes_durations_and_consistency_levels_as_text()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Leaderless:ReplicationFactor"] = "3",
            ["Leaderless:ReadConsistency"] = "all",
            ["Leaderless:WriteConsistency"] = "2",
            ["Leaderless:RequestTimeout"] = "00:00:09",
            ["Leaderless:MaxValueBytes"] = "2MiB",
            ["Leaderless:ResyncChunkBytes"] = "131072",
            ["Leaderless:Storage"] = "Memory",
            ["Leaderless:SqliteJournal"] = "AkkaPersistenceSql",
            ["Leaderless:PreviousContextSecrets:0"] = OldSecret,
        }).Build();

        var options = configuration.GetSection("Leaderless").Get<LeaderlessStoreOptions>()!;
        var s = LeaderlessSettings.Create(options.ToConfig());

        Assert.Equal((Consistency.All, Consistency.Of(2)), (s.ReadConsistency, s.WriteConsistency));
        Assert.Equal(TimeSpan.FromSeconds(9), s.RequestTimeout);
        Assert.Equal(2 * 1024 * 1024, s.MaxValueBytes);
        Assert.Equal(131072, s.Repair.ChunkBytes);
        Assert.Equal(StorageBackend.Memory, s.Storage.Backend);
        Assert.Equal(SqliteJournalKind.AkkaPersistenceSql, s.Storage.SqliteJournal);
        Assert.Single(s.Context.PreviousSecrets);
    }

    [Fact]
    public void A_bad_consistency_level_or_size_in_configuration_fails_binding_naming_the_value()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["A:ReadConsistency"] = "most",
            ["B:MaxValueBytes"] = "lots",
        }).Build();

        var consistency = Assert.Throws<InvalidOperationException>(() => configuration.GetSection("A").Get<LeaderlessStoreOptions>());
        Assert.Contains("most", consistency.ToString());
        var size = Assert.Throws<InvalidOperationException>(() => configuration.GetSection("B").Get<LeaderlessStoreOptions>());
        Assert.Contains("lots", size.ToString());
    }

    [Theory]
    [InlineData("1048576", 1048576L)]
    [InlineData("1MiB", 1048576L)]
    [InlineData("512 kib", 524288L)]
    [InlineData("1GiB", 1073741824L)]
    [InlineData("2MB", 2000000L)]
    [InlineData("3kb", 3000L)]
    [InlineData("10B", 10L)]
    public void Sizes_parse_with_binary_and_decimal_units(string text, long bytes) =>
        Assert.Equal(bytes, ByteSize.Parse(text).Bytes);

    [Theory]
    [InlineData("")]
    [InlineData("MiB")]
    [InlineData("-1")]
    [InlineData("1.5MiB")]
    [InlineData("1 parsec")]
    [InlineData("99999999999GiB")]
    public void Text_that_is_not_a_size_is_refused(string text) => Assert.False(ByteSize.TryParse(text, out _));

    [Fact]
    public void Byte_sizes_in_hocon_are_read_by_the_store_too()
    {
        var s = LeaderlessSettings.Create(Akka.Configuration.ConfigurationFactory.ParseString(
            "leaderless { max-value-bytes = 2MiB, max-key-bytes = 4KiB, repair.resync-chunk-bytes = 128KiB }"));
        Assert.Equal((2 * 1024 * 1024, 4096, 128 * 1024), (s.MaxValueBytes, s.MaxKeyBytes, s.Repair.ChunkBytes));
        var bad = Assert.Throws<LeaderlessConfigurationException>(() =>
            LeaderlessSettings.Create(Akka.Configuration.ConfigurationFactory.ParseString("leaderless.max-value-bytes = lots")));
        Assert.Contains("leaderless.max-value-bytes", bad.Message);
    }
}
