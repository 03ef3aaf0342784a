using Akka.Configuration;
using Akka.Configuration.Hocon;
using Xunit;

namespace LeaderlessActors.Tests;

/// <summary><see cref="LeaderlessSettings"/>: defaults from <c>reference.conf</c> only, and start-up failures that name the key.</summary>
public sealed class LeaderlessSettingsSpecs
{
    /// <summary>Every key under <c>leaderless</c> in reference.conf with its documented default.</summary>
    private static readonly Dictionary<string, string> DocumentedDefaults = new()
    {
        ["partition-count"] = "64",
        ["replication-factor"] = "3",
        ["virtual-nodes-per-member"] = "128",
        ["read-consistency"] = "quorum",
        ["write-consistency"] = "quorum",
        ["request-timeout"] = "5s",
        ["settle-window"] = "1s",
        ["read-hedging.speculative-retry"] = "adaptive",
        ["read-hedging.min-delay"] = "2ms",
        ["read-hedging.max-delay"] = "200ms",
        ["max-key-bytes"] = "1024",
        ["max-value-bytes"] = "1048576",
        ["max-live-coordinators"] = "1000",
        ["max-queued-requests"] = "10000",
        ["max-siblings"] = "64",
        ["max-key-state-bytes"] = "0",
        ["max-clock-entries"] = "1000",
        ["context.secret"] = "",
        ["context.previous-secrets"] = "[]",
        ["storage.backend"] = "sqlite",
        ["storage.sqlite.data-dir"] = "leaderless-data",
        ["storage.sqlite.connection-string"] = "",
        ["storage.sqlite.journal"] = "group-commit",
        ["storage.sqlite.synchronous"] = "full",
        ["storage.sqlite.write-queue-limit"] = "10000",
        ["storage.sqlite.write-batch-limit"] = "1000",
        ["storage.postgres.connection-string"] = "",
        ["storage.postgres.schema"] = "public",
        ["storage.snapshot-every"] = "1000",
        ["storage.recovery-backlog-limit"] = "10000",
        ["storage.fan-out-before-durable"] = "off",
        ["repair.resync-chunk-bytes"] = "262144",
        ["repair.resync-idle-timeout"] = "30s",
        ["repair.resync-ask-again-after"] = "1s",
        ["repair.resync-retry-interval"] = "5s",
        ["repair.read-hold"] = "1s",
        ["hints.enabled"] = "on",
        ["hints.max-per-target"] = "100000",
        ["hints.replay-per-second"] = "1000",
        ["hints.replay-timeout"] = "5s",
        ["hints.snapshot-every"] = "1000",
        ["hints.sloppy-quorum"] = "off",
        ["ring.gossip-interval"] = "1s",
        ["ring.storage-retry-interval"] = "5s",
        ["ring.auto-remove-after"] = "off",
        ["anti-entropy.enabled"] = "on",
        ["anti-entropy.interval"] = "30s",
        ["anti-entropy.workers"] = "4",
        ["anti-entropy.concurrency"] = "2",
        ["anti-entropy.repair-bytes-per-second"] = "4194304",
        ["anti-entropy.exchange-timeout"] = "10s",
        ["anti-entropy.tree-fanout"] = "16",
        ["anti-entropy.tree-depth"] = "3",
        ["anti-entropy.tombstone-grace"] = "1m",
        ["handoff.ring-check-interval"] = "200ms",
        ["handoff.history-sync-interval"] = "2s",
        ["handoff.history-wait"] = "5s",
        ["handoff.max-concurrent-fills"] = "4",
        ["handoff.release-moved-copies"] = "on",
    };

    [Fact]
    public void LeaderlessSettings_Create_with_no_overrides_yields_every_default_of_reference_conf()
    {
        var settings = LeaderlessSettings.Create(ConfigurationFactory.Empty);

        Assert.Equal(64, settings.PartitionCount);
        Assert.Equal(3, settings.ReplicationFactor);
        Assert.Equal(128, settings.VirtualNodesPerMember);
        Assert.Equal(Consistency.Quorum, settings.ReadConsistency);
        Assert.Equal(Consistency.Quorum, settings.WriteConsistency);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.SettleWindow);
        Assert.Equal((true, (TimeSpan?)null, TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(200)),
            (settings.ReadHedging.Enabled, settings.ReadHedging.FixedDelay, settings.ReadHedging.MinDelay, settings.ReadHedging.MaxDelay));
        Assert.Equal(1024, settings.MaxKeyBytes);
        Assert.Equal(1024 * 1024, settings.MaxValueBytes);
        Assert.Equal(1000, settings.MaxLiveCoordinators);
        Assert.Equal(10_000, settings.MaxQueuedRequests);
        Assert.Equal(64, settings.MaxSiblings);
        Assert.Equal(StorageBackend.Sqlite, settings.Storage.Backend);
        Assert.Equal("leaderless-data", settings.Storage.SqliteDataDirectory);
        Assert.Equal("", settings.Storage.SqliteConnectionString);
        Assert.Equal(SqliteJournalKind.GroupCommit, settings.Storage.SqliteJournal);
        Assert.Equal(SqliteSynchronous.Full, settings.Storage.SqliteSynchronous);
        Assert.Equal(10_000, settings.Storage.SqliteWriteQueueLimit);
        Assert.Equal(1000, settings.Storage.SqliteWriteBatchLimit);
        Assert.Equal("", settings.Storage.PostgresConnectionString);
        Assert.Equal("public", settings.Storage.PostgresSchema);
        Assert.Equal(1000, settings.Storage.SnapshotEvery);
        Assert.Equal(10_000, settings.Storage.RecoveryBacklogLimit);
        Assert.False(settings.Storage.FanOutBeforeDurable);
        Assert.Equal(256 * 1024, settings.Repair.ChunkBytes);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Repair.IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.Repair.AskAgainAfter);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Repair.RetryInterval);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.Repair.ReadHold);
        Assert.True(settings.Hints.Enabled);
        Assert.Equal(100_000, settings.Hints.MaxPerTarget);
        Assert.Equal(1000, settings.Hints.ReplayPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Hints.ReplayTimeout);
        Assert.Equal(1000, settings.Hints.SnapshotEvery);
        Assert.False(settings.Hints.SloppyQuorum);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.Ring.GossipInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Ring.StorageRetryInterval);
        Assert.Null(settings.Ring.AutoRemoveAfter);
        Assert.True(settings.AntiEntropy.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.AntiEntropy.Interval);
        Assert.Equal(4, settings.AntiEntropy.Workers);
        Assert.Equal(2, settings.AntiEntropy.Concurrency);
        Assert.Equal(4 * 1024 * 1024, settings.AntiEntropy.RepairBytesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.AntiEntropy.ExchangeTimeout);
        Assert.Equal(16, settings.AntiEntropy.TreeFanout);
        Assert.Equal(3, settings.AntiEntropy.TreeDepth);
        Assert.Equal(TimeSpan.FromMinutes(1), settings.AntiEntropy.TombstoneGrace);
        Assert.Equal(TimeSpan.FromMilliseconds(200), settings.Handoff.RingCheckInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.Handoff.HistorySyncInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Handoff.HistoryWait);
        Assert.Equal(4, settings.Handoff.MaxConcurrentFills);
        Assert.True(settings.Handoff.ReleaseMovedCopies);
        Assert.Equal(0, settings.MaxKeyStateBytes);
        Assert.Equal(1000, settings.MaxClockEntries);
        Assert.Null(settings.Context.Secret);
        Assert.Empty(settings.Context.PreviousSecrets);
    }

    [Fact]
    public void Reference_conf_holds_exactly_the_documented_defaults_so_no_setting_goes_unchecked()
    {
        // A key added to reference.conf without a checked default, or a default changed there, fails here.
        var leaves = Leaves(LeaderlessConfig.Default().GetConfig("leaderless").Root.GetObject(), "").ToDictionary();
        Assert.Equal(DocumentedDefaults.Keys.Order(), leaves.Keys.Order());
        foreach (var (key, value) in DocumentedDefaults) Assert.True(value == leaves[key], $"{key}: reference.conf has '{leaves[key]}', documented '{value}'");
    }

    [Fact]
    public void LeaderlessSettings_Create_reads_overrides_in_every_accepted_form()
    {
        var settings = LeaderlessSettings.Create(ConfigurationFactory.ParseString("""
            leaderless {
              replication-factor = 5
              read-consistency = ALL
              write-consistency = 2
              request-timeout = 250ms
              max-value-bytes = 0
              storage { backend = Postgres, postgres.connection-string = "Host=db" }
            }
            """));
        Assert.Equal(5, settings.ReplicationFactor);
        Assert.Equal(Consistency.All, settings.ReadConsistency);
        Assert.Equal(Consistency.Of(2), settings.WriteConsistency);
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.RequestTimeout);
        Assert.Equal(0, settings.MaxValueBytes);
        Assert.Equal(StorageBackend.Postgres, settings.Storage.Backend);
        Assert.Equal("Host=db", settings.Storage.PostgresConnectionString);
    }

    [Fact]
    public void LeaderlessSettings_Create_reads_an_automatic_ring_removal_delay_when_one_is_set()
    {
        var settings = LeaderlessSettings.Create(ConfigurationFactory.ParseString("leaderless.ring.auto-remove-after = 6h"));
        Assert.Equal(TimeSpan.FromHours(6), settings.Ring.AutoRemoveAfter);
    }

    [Fact]
    public void LeaderlessSettings_Create_reads_the_sqlite_journal_choices_in_kebab_case()
    {
        var settings = LeaderlessSettings.Create(ConfigurationFactory.ParseString(
            "leaderless.storage.sqlite { journal = akka-persistence-sql, synchronous = normal }"));
        Assert.Equal(SqliteJournalKind.AkkaPersistenceSql, settings.Storage.SqliteJournal);
        Assert.Equal(SqliteSynchronous.Normal, settings.Storage.SqliteSynchronous);
    }

    [Theory]
    [InlineData("partition-count = 0", "leaderless.partition-count")]
    [InlineData("partition-count = 65537", "leaderless.partition-count")]
    [InlineData("partition-count = 1.5", "leaderless.partition-count")]
    [InlineData("partition-count = [1, 2]", "leaderless.partition-count")]
    [InlineData("replication-factor = abc", "leaderless.replication-factor")]
    [InlineData("replication-factor = 0", "leaderless.replication-factor")]
    [InlineData("virtual-nodes-per-member = 0", "leaderless.virtual-nodes-per-member")]
    [InlineData("request-timeout = -1s", "leaderless.request-timeout")]
    [InlineData("request-timeout = 0s", "leaderless.request-timeout")]
    [InlineData("request-timeout = soon", "leaderless.request-timeout")]
    [InlineData("request-timeout = infinite", "leaderless.request-timeout")]
    [InlineData("settle-window = -5ms", "leaderless.settle-window")]
    [InlineData("read-consistency = 5", "leaderless.read-consistency")]
    [InlineData("read-consistency = most", "leaderless.read-consistency")]
    [InlineData("write-consistency = 0", "leaderless.write-consistency")]
    [InlineData("write-consistency = -1", "leaderless.write-consistency")]
    [InlineData("replication-factor = 1\nwrite-consistency = 2", "leaderless.write-consistency")]
    [InlineData("max-key-bytes = 0", "leaderless.max-key-bytes")]
    [InlineData("max-value-bytes = -1", "leaderless.max-value-bytes")]
    [InlineData("max-live-coordinators = 0", "leaderless.max-live-coordinators")]
    [InlineData("max-queued-requests = -1", "leaderless.max-queued-requests")]
    [InlineData("max-siblings = 0", "leaderless.max-siblings")]
    [InlineData("max-key-state-bytes = -1", "leaderless.max-key-state-bytes")]
    [InlineData("max-key-state-bytes = 1000", "leaderless.max-key-state-bytes")]
    [InlineData("max-clock-entries = 0", "leaderless.max-clock-entries")]
    [InlineData("context.secret = \"not base64!\"", "leaderless.context.secret")]
    [InlineData("context.secret = \"c2hvcnQ=\"", "leaderless.context.secret")]
    [InlineData("context.previous-secrets = [\"c2hvcnQ=\"]", "leaderless.context.previous-secrets")]
    [InlineData("context.previous-secrets = [\"not base64!\"]", "leaderless.context.previous-secrets")]
    [InlineData("storage.backend = tape", "leaderless.storage.backend")]
    [InlineData("storage.backend = 1", "leaderless.storage.backend")]
    [InlineData("storage.backend = postgres", "leaderless.storage.postgres.connection-string")]
    [InlineData("storage { backend = postgres, postgres { connection-string = \"Host=db\", schema = \"\" } }", "leaderless.storage.postgres.schema")]
    [InlineData("storage.sqlite.data-dir = \"\"", "leaderless.storage.sqlite.data-dir")]
    [InlineData("storage.sqlite.journal = linq", "leaderless.storage.sqlite.journal")]
    [InlineData("storage.sqlite.synchronous = off", "leaderless.storage.sqlite.synchronous")]
    [InlineData("storage.sqlite.write-queue-limit = 0", "leaderless.storage.sqlite.write-queue-limit")]
    [InlineData("storage.sqlite.write-batch-limit = 0", "leaderless.storage.sqlite.write-batch-limit")]
    [InlineData("storage.snapshot-every = 0", "leaderless.storage.snapshot-every")]
    [InlineData("storage.fan-out-before-durable = sometimes", "leaderless.storage.fan-out-before-durable")]
    [InlineData("storage.recovery-backlog-limit = none", "leaderless.storage.recovery-backlog-limit")]
    [InlineData("repair.resync-chunk-bytes = 100", "leaderless.repair.resync-chunk-bytes")]
    [InlineData("repair.resync-idle-timeout = 0s", "leaderless.repair.resync-idle-timeout")]
    [InlineData("repair.resync-retry-interval = often", "leaderless.repair.resync-retry-interval")]
    [InlineData("repair.resync-ask-again-after = 0s", "leaderless.repair.resync-ask-again-after")]
    [InlineData("read-hedging.speculative-retry = sometimes", "leaderless.read-hedging.speculative-retry")]
    [InlineData("read-hedging.speculative-retry = 0ms", "leaderless.read-hedging.speculative-retry")]
    [InlineData("read-hedging.min-delay = 0s", "leaderless.read-hedging.min-delay")]
    [InlineData("read-hedging { min-delay = 50ms, max-delay = 10ms }", "leaderless.read-hedging.max-delay")]
    [InlineData("hints.enabled = maybe", "leaderless.hints.enabled")]
    [InlineData("hints.max-per-target = 0", "leaderless.hints.max-per-target")]
    [InlineData("hints.replay-per-second = 0", "leaderless.hints.replay-per-second")]
    [InlineData("hints.replay-timeout = 0s", "leaderless.hints.replay-timeout")]
    [InlineData("hints.snapshot-every = 0", "leaderless.hints.snapshot-every")]
    [InlineData("hints.sloppy-quorum = sometimes", "leaderless.hints.sloppy-quorum")]
    [InlineData("hints { enabled = off, sloppy-quorum = on }", "leaderless.hints.sloppy-quorum")]
    [InlineData("ring.gossip-interval = 0s", "leaderless.ring.gossip-interval")]
    [InlineData("ring.storage-retry-interval = soon", "leaderless.ring.storage-retry-interval")]
    [InlineData("ring.auto-remove-after = never", "leaderless.ring.auto-remove-after")]
    [InlineData("ring.auto-remove-after = -1h", "leaderless.ring.auto-remove-after")]
    [InlineData("anti-entropy.enabled = maybe", "leaderless.anti-entropy.enabled")]
    [InlineData("anti-entropy.interval = 0s", "leaderless.anti-entropy.interval")]
    [InlineData("anti-entropy.workers = 0", "leaderless.anti-entropy.workers")]
    [InlineData("anti-entropy.concurrency = 0", "leaderless.anti-entropy.concurrency")]
    [InlineData("anti-entropy.repair-bytes-per-second = 10", "leaderless.anti-entropy.repair-bytes-per-second")]
    [InlineData("anti-entropy.exchange-timeout = never", "leaderless.anti-entropy.exchange-timeout")]
    [InlineData("anti-entropy.tree-fanout = 1", "leaderless.anti-entropy.tree-fanout")]
    [InlineData("anti-entropy.tree-depth = 0", "leaderless.anti-entropy.tree-depth")]
    [InlineData("anti-entropy { tree-fanout = 256, tree-depth = 3 }", "leaderless.anti-entropy.tree-depth")]
    [InlineData("anti-entropy.tombstone-grace = 0s", "leaderless.anti-entropy.tombstone-grace")]
    [InlineData("handoff.ring-check-interval = 0s", "leaderless.handoff.ring-check-interval")]
    [InlineData("handoff.history-sync-interval = soon", "leaderless.handoff.history-sync-interval")]
    [InlineData("handoff.history-wait = -1s", "leaderless.handoff.history-wait")]
    [InlineData("handoff.max-concurrent-fills = 0", "leaderless.handoff.max-concurrent-fills")]
    public void LeaderlessSettings_Create_rejects_a_bad_value_naming_its_full_key(string overrides, string key)
    {
        var error = Assert.Throws<LeaderlessConfigurationException>(() =>
            LeaderlessSettings.Create(ConfigurationFactory.ParseString($"leaderless {{\n{overrides}\n}}")));
        Assert.Equal(key, error.Key);
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void LeaderlessSettings_Create_accepts_an_empty_sqlite_data_dir_when_a_connection_string_is_set()
    {
        var settings = LeaderlessSettings.Create(ConfigurationFactory.ParseString(
            "leaderless.storage.sqlite { data-dir = \"\", connection-string = \"Data Source=x.db\" }"));
        Assert.Equal("Data Source=x.db", settings.Storage.SqliteConnectionString);
    }

    private static IEnumerable<KeyValuePair<string, string>> Leaves(HoconObject node, string prefix)
    {
        foreach (var (name, value) in node.Items)
        {
            var path = prefix + name;
            if (value.IsObject())
                foreach (var leaf in Leaves(value.GetObject(), path + ".")) yield return leaf;
            else
                yield return new(path, value.GetString() ?? "[" + string.Join(", ", value.GetStringList()) + "]"); // a list has no string form
        }
    }
}
