using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Spectre.Console;

namespace LeaderlessActors.Demo;

/// <summary>The demo's traffic: every request goes to a random live node, which coordinates it.</summary>
internal sealed class Workload(DemoCluster cluster, int keys, int parallelism)
{
    private static readonly ReadOptions ReadAll = new() { Consistency = Consistency.All };

    public static string KeyOf(int i) => $"user:{i:0000}";

    /// <summary>Writes every key once at the default consistency (quorum), with a progress bar.</summary>
    public Task LoadAsync(Tally tally) => WithProgressAsync($"Writing {keys:N0} keys at quorum", keys, Enumerable.Range(0, keys),
        i => tally.TryAsync(() => RandomNode().PutAsync(KeyOf(i), Encoding.UTF8.GetBytes($"v1 of {KeyOf(i)}"))));

    /// <summary>For <paramref name="duration"/>: reads random keys at quorum and updates them with the read's context.</summary>
    public async Task ReadAndUpdateAsync(Tally tally, TimeSpan duration, ConcurrentDictionary<string, int> updated)
    {
        var clock = Stopwatch.StartNew();
        await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var bar = ctx.AddTask("Reading and updating at quorum", maxValue: duration.TotalMilliseconds);
                await Task.WhenAll(Enumerable.Range(0, parallelism).Select(async _ =>
                {
                    while (clock.Elapsed < duration)
                    {
                        var key = KeyOf(Random.Shared.Next(keys));
                        var node = RandomNode();
                        ReadResult? read = null;
                        if (!await tally.TryAsync(async () => read = await node.GetAsync(key))) continue;
                        var version = updated.AddOrUpdate(key, 2, (_, v) => v + 1);
                        await tally.TryAsync(() => node.PutAsync(key, Encoding.UTF8.GetBytes($"v{version} of {key}"), read!.Context));
                        bar.Value = Math.Min(clock.Elapsed.TotalMilliseconds, duration.TotalMilliseconds);
                    }
                }));
                bar.Value = bar.MaxValue;
            });
    }

    /// <summary>Reads each key at R = all: every replica answers, and the stale ones are repaired before the reply.</summary>
    public Task ReadAllAsync(Tally tally, IReadOnlyCollection<string> keysToRead) =>
        WithProgressAsync($"Reading {keysToRead.Count:N0} changed keys at all", keysToRead.Count, keysToRead,
            key => tally.TryAsync(() => RandomNode().GetAsync(key, ReadAll)));

    public LeaderlessStore RandomNode()
    {
        while (true)
        {
            var i = Random.Shared.Next(cluster.Count);
            if (cluster.IsUp(i)) return cluster.Store(i);
        }
    }

    private async Task WithProgressAsync<T>(string description, int total, IEnumerable<T> items, Func<T, Task> work) =>
        await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var bar = ctx.AddTask(description, maxValue: Math.Max(1, total));
                await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (item, _) =>
                {
                    await work(item);
                    bar.Increment(1);
                });
            });
}
