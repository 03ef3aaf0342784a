using System.Globalization;
using System.Text.Json;
using Akka.Configuration;

namespace LeaderlessActors.Hosting;

/// <summary>
/// Settings of the store for <see cref="LeaderlessHostingExtensions.WithLeaderlessStore"/>. Every property left null keeps
/// the value of the application's HOCON, and failing that the default in <c>hocon/reference.conf</c>; the store validates
/// the result at start-up and names the HOCON key of a bad value.
/// </summary>
public sealed class LeaderlessStoreOptions
{
    /// <summary><c>leaderless.replication-factor</c>: replicas per partition (N). Default 3.</summary>
    public int? ReplicationFactor { get; set; }

    /// <summary><c>leaderless.partition-count</c>: partitions of the key space (Q). Default 64.</summary>
    public int? PartitionCount { get; set; }

    /// <summary><c>leaderless.read-consistency</c>: default R. Default quorum.</summary>
    public Consistency? ReadConsistency { get; set; }

    /// <summary><c>leaderless.write-consistency</c>: default W. Default quorum.</summary>
    public Consistency? WriteConsistency { get; set; }

    /// <summary><c>leaderless.request-timeout</c>. Default 5 s.</summary>
    public TimeSpan? RequestTimeout { get; set; }

    /// <summary><c>leaderless.max-value-bytes</c>: largest value accepted. Default 1 MiB.</summary>
    public int? MaxValueBytes { get; set; }

    /// <summary><c>leaderless.storage.backend</c>. Default sqlite.</summary>
    public StorageBackend? Storage { get; set; }

    /// <summary><c>leaderless.storage.sqlite.data-dir</c>: folder of the node's SQLite file. Default "leaderless-data".</summary>
    public string? SqliteDataDirectory { get; set; }

    /// <summary><c>leaderless.storage.postgres.connection-string</c>: this node's own database. Required with postgres.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary><c>leaderless.storage.postgres.schema</c>. Default "public".</summary>
    public string? PostgresSchema { get; set; }

    /// <summary><c>leaderless.anti-entropy.enabled</c>: whether this node hosts anti-entropy workers. Default true.</summary>
    public bool? AntiEntropyEnabled { get; set; }

    /// <summary><c>leaderless.anti-entropy.interval</c>: how often each partition's replicas are compared. Default 30 s.</summary>
    public TimeSpan? AntiEntropyInterval { get; set; }

    /// <summary>
    /// Whether to give Akka.Remote a frame size that carries the largest value (as a fallback: an explicit
    /// <c>akka.remote.dot-netty.tcp.maximum-frame-size</c> wins). Default true.
    /// </summary>
    public bool SizeRemoteFrames { get; set; } = true;

    /// <summary>The settings that were set, as HOCON under <c>leaderless</c>; unset ones are absent.</summary>
    public Config ToConfig()
    {
        var settings = new (string Key, string? Value)[]
        {
            ("replication-factor", Number(ReplicationFactor)),
            ("partition-count", Number(PartitionCount)),
            ("read-consistency", ReadConsistency?.ToString()),
            ("write-consistency", WriteConsistency?.ToString()),
            ("request-timeout", Milliseconds(RequestTimeout)),
            ("max-value-bytes", Number(MaxValueBytes)),
            ("storage.backend", Storage?.ToString().ToLowerInvariant()),
            ("storage.sqlite.data-dir", Quote(SqliteDataDirectory)),
            ("storage.postgres.connection-string", Quote(PostgresConnectionString)),
            ("storage.postgres.schema", Quote(PostgresSchema)),
            ("anti-entropy.enabled", AntiEntropyEnabled is { } on ? (on ? "on" : "off") : null),
            ("anti-entropy.interval", Milliseconds(AntiEntropyInterval)),
        };
        return ConfigurationFactory.ParseString(string.Join("\n",
            settings.Where(s => s.Value is not null).Select(s => $"leaderless.{s.Key} = {s.Value}")));
    }

    private static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Milliseconds(TimeSpan? value) => value is { } t ? $"{(long)t.TotalMilliseconds}ms" : null;

    /// <summary>A HOCON quoted string: HOCON's quoted strings follow JSON's rules.</summary>
    private static string? Quote(string? text) => text is null ? null : JsonSerializer.Serialize(text);
}
