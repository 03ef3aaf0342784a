using System.Diagnostics;
using System.Text;

namespace LeaderlessActors.TestKit.Chaos;

/// <summary>
/// The clients of a chaos run: each puts (without context, over a read's context, over its own last write's context),
/// deletes over a read's context and reads a few keys on random usable nodes, and records every operation. Keys, values,
/// operations and nodes come from the seed; thread interleavings still vary.
/// </summary>
internal sealed class ChaosClients(TestCluster cluster, NodeStates nodes, ChaosOptions options, History history, Stopwatch clock, int seed)
{
    public Task RunAsync(int client, CancellationToken stop) => Task.Run(() => Client(client, new Random(seed * 31 + client), stop));

    private async Task Client(int client, Random rng, CancellationToken stop)
    {
        var lastWrite = new Dictionary<string, Operation>();
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var key = options.Keys[rng.Next(options.Keys.Count)];
            var value = $"s{seed}-c{client}-{n}";
            var roll = rng.Next(100);
            if (roll < 20)
                await Read(client, key, rng);
            else if (roll < 40)
                Remember(lastWrite, await Write(client, OperationKind.Put, key, value, null, rng));
            else if (roll < 50 && lastWrite.TryGetValue(key, out var own))
                Remember(lastWrite, await Write(client, OperationKind.Put, key, value, own, rng));
            else if (await Read(client, key, rng) is { Outcome: OperationOutcome.Acked } read)
                Remember(lastWrite, await Write(client, roll < 85 ? OperationKind.Put : OperationKind.Delete, key, value, read, rng));
            await Task.Delay(rng.Next(5, 25), CancellationToken.None);
        }
    }

    private static void Remember(Dictionary<string, Operation> lastWrite, Operation? write)
    {
        if (write is { Outcome: OperationOutcome.Acked, Kind: OperationKind.Put }) lastWrite[write.Key] = write;
    }

    private Task<Operation?> Read(int client, string key, Random rng) =>
        Run(node => new Operation { Client = client, Kind = OperationKind.Read, Key = key, Node = node }, rng, async (store, op) =>
        {
            var read = await options.Target.GetAsync(store, key, new ReadOptions { Timeout = options.OperationTimeout });
            op.Values = Texts(read.Values);
            op.Context = read.Context;
        });

    private Task<Operation?> Write(int client, OperationKind kind, string key, string value, Operation? contextFrom, Random rng) =>
        Run(node => new Operation
            {
                Client = client, Kind = kind, Key = key, Node = node,
                Value = kind == OperationKind.Put ? value : null, ContextFrom = contextFrom,
            },
            rng, async (store, op) =>
            {
                var write = new WriteOptions { Timeout = options.OperationTimeout };
                op.Context = (kind == OperationKind.Put
                    ? await options.Target.PutAsync(store, key, Encoding.UTF8.GetBytes(value), contextFrom?.Context, write)
                    : await options.Target.DeleteAsync(store, key, contextFrom?.Context, write)).Context;
            });

    /// <summary>Runs one operation on a random usable node and records how it ended; null when no node could take it.</summary>
    private async Task<Operation?> Run(Func<int, Operation> describe, Random rng, Func<LeaderlessStore, Operation, Task> action)
    {
        var usable = nodes.Usable();
        if (usable.Length == 0) return null;
        var op = describe(usable[rng.Next(usable.Length)]);
        var epoch = nodes.Epoch(op.Node);
        LeaderlessStore store;
        try
        {
            store = cluster.Store(op.Node);
        }
        catch (InvalidOperationException)
        {
            return null; // the node went down just now: nothing was sent
        }
        op.Start = clock.ElapsedTicks;
        var untyped = false;
        try
        {
            await action(store, op);
            op.Outcome = OperationOutcome.Acked;
        }
        catch (WriteOutcomeUnknownException e)
        {
            (op.Outcome, op.Error) = (OperationOutcome.Unknown, e.Reason);
        }
        catch (LeaderlessException e) when (e is QuorumNotReachedException or SiblingLimitExceededException or OverloadedException)
        {
            (op.Outcome, op.Error) = (OperationOutcome.Failed, e.GetType().Name);
        }
        catch (Exception e) when (!nodes.IsUsable(op.Node) || nodes.Epoch(op.Node) != epoch)
        {
            // Its node went down under it: a write may have been stored.
            (op.Outcome, op.Error) = (op.IsWrite ? OperationOutcome.Unknown : OperationOutcome.Failed, $"node went down: {e.GetType().Name}");
        }
        catch (Exception e)
        {
            (op.Outcome, op.Error) = (op.IsWrite ? OperationOutcome.Unknown : OperationOutcome.Failed, $"{e.GetType().Name}: {e.Message}");
            untyped = true;
        }
        op.End = clock.ElapsedTicks;
        history.Add(op);
        if (untyped) history.AddViolation(new Violation($"untyped failure on a running node: {op}", op.End));
        return op;
    }

    public static string[] Texts(IEnumerable<byte[]> values) => values.Select(v => Encoding.UTF8.GetString(v)).ToArray();
}
