using Akka.Configuration;

namespace LeaderlessActors.Storage.GroupCommit;

/// <summary>
/// The group-commit plugins' config, as <see cref="StoragePlugins"/> writes it from the validated
/// <c>leaderless.storage.sqlite</c> settings (which hold the defaults and the checks).
/// </summary>
internal sealed record GroupCommitOptions(string ConnectionString, SqliteSynchronous Synchronous, int WriteQueueLimit, int WriteBatchLimit)
{
    public const string WriteQueueLimitKey = "leaderless.storage.sqlite.write-queue-limit";

    /// <summary>The plugin config section for these options.</summary>
    public string ToHocon() =>
        $"connection-string = {StoragePlugins.Quote(ConnectionString)}\nsynchronous = {Synchronous}\n" +
        $"write-queue-limit = {WriteQueueLimit}\nwrite-batch-limit = {WriteBatchLimit}";

    public static GroupCommitOptions From(Config pluginConfig) => new(
        pluginConfig.GetString("connection-string"),
        Enum.Parse<SqliteSynchronous>(pluginConfig.GetString("synchronous")),
        pluginConfig.GetInt("write-queue-limit"),
        pluginConfig.GetInt("write-batch-limit"));
}
