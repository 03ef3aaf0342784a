using Akka.TestKit;
using LeaderlessActors.Replication;

namespace LeaderlessActors.Tests.Storage;

/// <summary>
/// A replica's answers to a <see cref="CoordinateWrite"/> from a test's own actor: either <see cref="WriteIssued"/> at
/// once and <see cref="KeyStored"/> once durable, or (when it may not tell the write early, as right after a clean
/// start) <see cref="WriteCoordinated"/> alone; a failure follows the early answer or stands alone.
/// </summary>
internal static class WriteAnswers
{
    /// <summary>Waits for a write to be durable; returns it as one <see cref="WriteCoordinated"/> either way.</summary>
    public static WriteCoordinated ExpectWritten(this TestKitBase kit)
    {
        var answer = kit.ExpectMsg<object>(m => m is WriteIssued or WriteCoordinated, hint: "a write's first answer");
        if (answer is WriteCoordinated coordinated) return coordinated;
        var issued = (WriteIssued)answer;
        var stored = kit.ExpectMsg<KeyStored>(s => s.RequestId == issued.RequestId);
        return new WriteCoordinated(issued.RequestId, stored.Node, issued.State, issued.Dot);
    }

    /// <summary>Waits for a write's outcome: a <see cref="WriteCoordinated"/> (as in <see cref="ExpectWritten"/>) or the
    /// <see cref="ReplicaFailed"/> that follows an early <see cref="WriteIssued"/> or comes alone.</summary>
    public static object ExpectWriteOutcome(this TestKitBase kit)
    {
        var answer = kit.ExpectMsg<object>(m => m is WriteIssued or WriteCoordinated or ReplicaFailed, hint: "a write's answer");
        if (answer is not WriteIssued issued) return answer;
        var outcome = kit.ExpectMsg<object>(m => m is KeyStored or ReplicaFailed, hint: "the issued write's outcome");
        return outcome is KeyStored stored ? new WriteCoordinated(issued.RequestId, stored.Node, issued.State, issued.Dot) : outcome;
    }
}
