using Akka.Actor;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Diagnostics;

/// <summary>Merges given key states straight into a node's replicas (as repairs: <see cref="MergeKeyState"/>), keeping a window
/// in flight; completes once every state is durable. Two nodes loaded with the same states hold identical replicas.</summary>
internal sealed class StateLoader : UntypedActor
{
    private readonly IActorRef _host;
    private readonly IReadOnlyList<(int Partition, string Key, SiblingSet State)> _states;
    private readonly TaskCompletionSource _done;
    private int _sent, _stored;

    public StateLoader(IActorRef host, IReadOnlyList<(int Partition, string Key, SiblingSet State)> states, int window, TaskCompletionSource done)
    {
        _host = host;
        _states = states;
        _done = done;
        if (states.Count == 0) done.TrySetResult();
        for (var i = 0; i < Math.Min(window, states.Count); i++) SendNext();
    }

    private void SendNext()
    {
        var (partition, key, state) = _states[_sent];
        _host.Tell(new MergeKeyState(_sent++, partition, key, state));
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case KeyStored:
                if (++_stored == _states.Count) _done.TrySetResult();
                else if (_sent < _states.Count) SendNext();
                break;
            case ReplicaFailed failed:
                _done.TrySetException(new InvalidOperationException($"Storing state {failed.RequestId} failed: {failed.Message}"));
                Context.Stop(Self);
                break;
        }
    }
}
