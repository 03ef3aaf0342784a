using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Journal;
using LeaderlessActors.Replication;

namespace LeaderlessActors.Tests.Storage;

/// <summary>The in-memory journal, except that a batch holding a write of a key <see cref="Hold"/> named waits until the
/// spec opens its gate: the spec sees what a replica does while its event is on its way, without timing.</summary>
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
            if (key is not null && Gates.TryGetValue(key, out var gate)) await gate.Task.WaitAsync(cancellationToken);
        return await base.WriteMessagesAsync(batch, cancellationToken);
    }
}
