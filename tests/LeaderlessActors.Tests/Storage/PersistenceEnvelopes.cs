using Akka.Actor;
using Akka.Persistence;

namespace LeaderlessActors.Tests.Storage;

/// <summary>Journal messages that only Akka.Persistence itself builds.</summary>
internal static class PersistenceEnvelopes
{
    /// <summary>What DeferAsync sends the journal; the type is internal to Akka.Persistence.</summary>
    public static IPersistentEnvelope DeferredReply(object payload, IActorRef sender) =>
        (IPersistentEnvelope)Activator.CreateInstance(
            typeof(Persistence).Assembly.GetType("Akka.Persistence.NonPersistentMessage", throwOnError: true)!,
            System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic,
            null, [payload, sender], null)!;
}
