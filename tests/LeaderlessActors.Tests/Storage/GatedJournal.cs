using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Journal;
using LeaderlessActors.Replication;

namespace LeaderlessActors.Tests.Storage;

/// <summary>The in-memory journal, except that a batch holding a write of a key <see cref="Hold"/> named waits until the
/// spec opens its gate (then it is written) or fails it (then the batch fails with that exception): the spec sees what a
/// replica does while its event is on its way, without timing. Either way the gate is gone after it.</summary>
public sealed class GatedJournal : MemoryJournal
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Gates = new();

    /// <summary>Holds the writes of <paramref name="key"/> (unique to the spec) until the returned gate is opened.</summary>
    public static TaskCompletionSource Hold(string key) =>
        Gates.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    protected override async Task<IImmutableList<Exception?>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var batch = messages.ToArray();
        foreach (var key in batch.SelectMany(w => (IEnumerable<IPersistentRepresentation>)w.Payload).Select(p => (p.Payload as KeyUpdated)?.Key))
        {
            if (key is null || !Gates.TryGetValue(key, out var gate)) continue;
            try
            {
                await gate.Task.WaitAsync(cancellationToken);
            }
            finally
            {
                Gates.TryRemove(key, out _);
            }
        }
        return await base.WriteMessagesAsync(batch, cancellationToken);
    }
}
