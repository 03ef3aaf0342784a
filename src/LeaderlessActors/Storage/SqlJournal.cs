using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Sql.Journal;

namespace LeaderlessActors.Storage;

/// <summary>
/// Akka.Persistence.Sql's journal, made safe for write batches that hold no events. A replica acknowledges a repair
/// that brings nothing new with <c>DeferAsync</c> while writes of that key are in flight; the deferral travels through
/// the journal, and a batch made only of
/// deferrals reaches <c>WriteMessagesAsync</c> with no <see cref="AtomicWrite"/>. <c>SqlWriteJournal</c> (1.5.73) then
/// throws "Sequence contains no elements" (it takes the first write's persistence id), the failure counts against the
/// journal's circuit breaker, and under mixed reads and writes the breaker opens: every write and every replay of the
/// node then fails until it closes again. Nothing needs storing for such a batch, so it succeeds at once; the deferred
/// replies still wait for the writes before them, because the journal answers a persistent actor in order.
/// </summary>
internal sealed class SqlJournal(Akka.Configuration.Config journalConfig) : SqlWriteJournal(journalConfig)
{
    private static readonly Task<IImmutableList<Exception>?> NothingToWrite = Task.FromResult<IImmutableList<Exception>?>(null);

    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages,
        CancellationToken cancellationToken)
    {
        var writes = messages as IReadOnlyCollection<AtomicWrite> ?? messages.ToList();
        return writes.Count == 0 ? NothingToWrite! : base.WriteMessagesAsync(writes, cancellationToken);
    }
}
