using System.Diagnostics;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.MultiNode.Tests;

/// <summary>
/// A seeded randomized run: client tasks put (without context, over a read's context, over their own last write's
/// context), delete over a read's context and read a few keys at Quorum on random nodes, while a nemesis cuts links and
/// crashes and restarts nodes, one fault at a time. Every operation is recorded; <see cref="ChaosHistory"/> checks what the
/// causal contexts allow. After healing, every key is read at Quorum from every node and at All, and every replica must
/// then hold the same state. The seed decides keys, values, operations, nodes and the fault schedule; thread
/// interleavings still vary, so a failure prints the seed, the fault log and the violations.
/// </summary>
public sealed class ChaosSpec(ITestOutputHelper output)
{
    private static readonly TimeSpan ChaosTime = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan OpTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(10);
    private const int Clients = 4;
    private static readonly string[] Keys = ["apple", "banana", "cherry", "damson", "elder"];

    [Theory]
    [InlineData(20251)]
    [InlineData(77)]
    public async Task Under_link_cuts_crashes_and_restarts_no_acknowledged_write_is_lost_no_delete_resurrects_and_replicas_converge(int seed)
    {
        // Frequent snapshots, so crashes also hit snapshotting and recovery from snapshot plus journal tail.
        await using var cluster = await TestCluster.StartAsync(3, "leaderless.storage.snapshot-every = 25");
        var run = new ChaosRun(cluster, seed);
        var violations = new List<string>();
        try
        {
            await run.RunAsync(ChaosTime);
            await run.CheckAfterHealingAsync();
        }
        finally
        {
            violations = run.History.Check();
            output.WriteLine($"seed {seed}: {violations.Count} violation(s); {run.Summary()}");
            foreach (var line in run.FaultLog.Concat(violations.Take(25))) output.WriteLine(line);
        }
        Assert.True(violations.Count == 0,
            $"seed {seed}: {violations.Count} violation(s):\n{string.Join("\n", violations.Take(25))}\nfaults:\n{string.Join("\n", run.FaultLog)}");
        Assert.True(run.History.Count(OpKind.Put, Outcome.Acked) >= 50 && run.History.Count(OpKind.Delete, Outcome.Acked) >= 5 &&
                    run.Crashes >= 1 && run.Cuts >= 1, $"seed {seed}: the run exercised too little: {run.Summary()}");
    }

    /// <summary>One run: the cluster, the clients, the nemesis and what they recorded.</summary>
    private sealed class ChaosRun(TestCluster cluster, int seed)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly bool[] _down = new bool[3];
        // Changed when a node crashes and when it is back, so an operation can tell that its node went down meanwhile.
        private readonly int[] _epoch = new int[3];

        public ChaosHistory History { get; } = new();
        public List<string> FaultLog { get; } = [];
        public int Crashes { get; private set; }
        public int Cuts { get; private set; }

        public async Task RunAsync(TimeSpan duration)
        {
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(() => Client(c, new Random(seed * 31 + c), stop.Token))).ToArray();
            try
            {
                await Nemesis(new Random(seed), duration);
            }
            finally
            {
                await stop.CancelAsync();
                await Task.WhenAll(clients);
            }
        }

        /// <summary>Faults one at a time until <paramref name="duration"/> is over; each is healed before the next.</summary>
        private async Task Nemesis(Random rng, TimeSpan duration)
        {
            var crashFirst = rng.Next(2) == 0;
            for (var fault = 0; _clock.Elapsed < duration; fault++)
            {
                await Task.Delay(rng.Next(500, 1500));
                var crash = fault < 2 ? crashFirst == (fault == 0) : rng.Next(3) == 0;
                var hold = TimeSpan.FromMilliseconds(rng.Next(1500, 4000));
                if (crash)
                {
                    var node = rng.Next(3);
                    Log($"crash node {node} for {hold.TotalMilliseconds} ms");
                    Volatile.Write(ref _down[node], true);
                    Interlocked.Increment(ref _epoch[node]);
                    await cluster.CrashAsync(node);
                    Crashes++;
                    await Task.Delay(hold);
                    await cluster.RestartAsync(node);
                    Interlocked.Increment(ref _epoch[node]);
                    Volatile.Write(ref _down[node], false);
                    Log($"node {node} is back");
                }
                else
                {
                    var a = rng.Next(3);
                    var b = (a + 1 + rng.Next(2)) % 3;
                    Log($"cut link {a}-{b} for {hold.TotalMilliseconds} ms");
                    await cluster.BlackholeAsync(a, b);
                    Cuts++;
                    await Task.Delay(hold);
                    await cluster.HealAsync(a, b);
                    await cluster.AwaitConvergedAsync();
                    Log($"link {a}-{b} healed");
                }
            }
        }

        private async Task Client(int client, Random rng, CancellationToken stop)
        {
            var lastWrite = new Dictionary<string, Op>();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var key = Keys[rng.Next(Keys.Length)];
                var value = $"s{seed}-c{client}-{n}";
                var roll = rng.Next(100);
                if (roll < 20)
                {
                    await Read(client, key, rng);
                }
                else if (roll < 40)
                {
                    Remember(lastWrite, await Write(client, OpKind.Put, key, value, null, rng));
                }
                else if (roll < 50 && lastWrite.TryGetValue(key, out var own))
                {
                    Remember(lastWrite, await Write(client, OpKind.Put, key, value, own, rng));
                }
                else if (await Read(client, key, rng) is { Outcome: Outcome.Acked } read)
                {
                    Remember(lastWrite, await Write(client, roll < 85 ? OpKind.Put : OpKind.Delete, key, value, read, rng));
                }
                await Task.Delay(rng.Next(5, 25), CancellationToken.None);
            }
        }

        private static void Remember(Dictionary<string, Op> lastWrite, Op? write)
        {
            if (write is { Outcome: Outcome.Acked, Kind: OpKind.Put }) lastWrite[write.Key] = write;
        }

        private Task<Op?> Read(int client, string key, Random rng) =>
            Run(node => new Op { Client = client, Kind = OpKind.Read, Key = key, Node = node }, rng, async (store, op) =>
            {
                var read = await store.GetAsync(key, new ReadOptions { Timeout = OpTimeout });
                op.Values = Texts(read.Values);
                op.Context = read.Context;
            });

        private Task<Op?> Write(int client, OpKind kind, string key, string value, Op? contextFrom, Random rng) =>
            Run(node => new Op { Client = client, Kind = kind, Key = key, Node = node, Value = kind == OpKind.Put ? value : null, ContextFrom = contextFrom },
                rng, async (store, op) =>
                {
                    var options = new WriteOptions { Timeout = OpTimeout };
                    op.Context = (kind == OpKind.Put
                        ? await store.PutAsync(key, Encoding.UTF8.GetBytes(value), contextFrom?.Context, options)
                        : await store.DeleteAsync(key, contextFrom?.Context, options)).Context;
                });

        /// <summary>Runs one operation on a random live node and records how it ended; null when no node could take it.</summary>
        private async Task<Op?> Run(Func<int, Op> describe, Random rng, Func<LeaderlessStore, Op, Task> action)
        {
            var live = Enumerable.Range(0, 3).Where(i => !Volatile.Read(ref _down[i])).ToArray();
            var op = describe(live[rng.Next(live.Length)]);
            var epoch = Volatile.Read(ref _epoch[op.Node]);
            LeaderlessStore store;
            try
            {
                store = cluster.Store(op.Node);
            }
            catch (InvalidOperationException)
            {
                return null; // the node went down just now: nothing was sent
            }
            op.Start = _clock.ElapsedTicks;
            try
            {
                await action(store, op);
                op.Outcome = Outcome.Acked;
            }
            catch (WriteOutcomeUnknownException e)
            {
                (op.Outcome, op.Error) = (Outcome.Unknown, e.Reason);
            }
            catch (LeaderlessException e) when (e is QuorumNotReachedException or SiblingLimitExceededException or OverloadedException)
            {
                (op.Outcome, op.Error) = (Outcome.Failed, e.GetType().Name);
            }
            catch (Exception e) when (Volatile.Read(ref _down[op.Node]) || Volatile.Read(ref _epoch[op.Node]) != epoch)
            {
                // Its node crashed under it: a write may have been stored.
                (op.Outcome, op.Error) = (op.IsWrite ? Outcome.Unknown : Outcome.Failed, $"node crashed: {e.GetType().Name}");
            }
            catch (Exception e)
            {
                (op.Outcome, op.Error) = (op.IsWrite ? Outcome.Unknown : Outcome.Failed, $"{e.GetType().Name}: {e.Message}");
                History.Violation($"untyped failure on a live node: {op}");
            }
            op.End = _clock.ElapsedTicks;
            History.Add(op);
            return op;
        }

        /// <summary>
        /// With every fault healed: each key read at Quorum from every node and then at All (recorded, so the history
        /// checks apply to them), after which every replica of every key must hold the same state, the one the read saw.
        /// </summary>
        public async Task CheckAfterHealingAsync()
        {
            await cluster.AwaitConvergedAsync();
            foreach (var key in Keys)
                for (var node = 0; node < 3; node++)
                    await FinalRead(key, node, Consistency.Quorum);
            foreach (var key in Keys)
            {
                var all = await FinalRead(key, Array.IndexOf(Keys, key) % 3, Consistency.All);
                var inspection = await cluster.Store(0).InspectAsync(key, CheckTimeout);
                Assert.True(inspection.Replicas.Count == 3, $"seed {seed}: {key} missing replicas [{string.Join(", ", inspection.Missing)}]");
                var states = inspection.Replicas.Select(Describe).Distinct().ToArray();
                Assert.True(states.Length == 1, $"seed {seed}: replicas of {key} differ after a read at All:\n{string.Join("\n", states)}");
                Assert.Equal(all.Values.Order(), Texts(inspection.Replicas[0].Values).Order());
            }
        }

        private async Task<Op> FinalRead(string key, int node, Consistency consistency)
        {
            var op = new Op { Client = -1, Kind = OpKind.Read, Key = key, Node = node, Start = _clock.ElapsedTicks };
            var read = await cluster.Store(node).GetAsync(key, new ReadOptions { Consistency = consistency, Timeout = CheckTimeout });
            (op.Values, op.Context, op.End) = (Texts(read.Values), read.Context, _clock.ElapsedTicks);
            History.Add(op);
            return op;
        }

        private static string[] Texts(IEnumerable<byte[]> values) => values.Select(v => Encoding.UTF8.GetString(v)).ToArray();

        private static string Describe(ReplicaState replica) =>
            $"{replica.Context} [{string.Join(", ", replica.Versions.Select(v => $"{v.Dot}={(v.IsTombstone ? "tombstone" : Encoding.UTF8.GetString(v.Value!))}"))}]";

        private void Log(string text)
        {
            lock (FaultLog) FaultLog.Add($"{_clock.ElapsedMilliseconds,6} ms  {text}");
        }

        public string Summary()
        {
            var counts = from kind in Enum.GetValues<OpKind>()
                         from outcome in Enum.GetValues<Outcome>()
                         let n = History.Count(kind, outcome)
                         where n > 0
                         select $"{kind} {outcome} {n}";
            var errors = History.Ops.Where(o => o.Error is not null).GroupBy(o => $"{o.Kind} {o.Outcome}: {o.Error![..Math.Min(o.Error!.Length, 60)]}")
                .OrderByDescending(g => g.Count()).Select(g => $"\n  {g.Count()} x {g.Key}");
            return $"{string.Join(", ", counts)}; {Crashes} crash(es), {Cuts} link cut(s), {_clock.Elapsed.TotalSeconds:0.0} s{string.Concat(errors)}";
        }
    }
}
