using Akka.Actor;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

/// <summary>
/// Sends a copy of a replica's durable state, taken when the <see cref="StreamPartition"/> arrived, to the replica that
/// asked for it: one <see cref="PartitionChunk"/> at a time, the next once the previous is stored, so a large partition
/// never floods the link or the receiver. Stops after the last chunk, or when the receiver goes quiet.
/// </summary>
internal sealed class PartitionStreamer : UntypedActor
{
    // Key, clock and sibling framing around the value bytes; an estimate is enough to keep chunks well under a frame.
    private const int OverheadPerSibling = 48;

    private readonly StreamPartition _request;
    private readonly Address _node;
    private readonly KeyValuePair<string, SiblingSet>[] _entries;
    private readonly IActorRef _receiver;
    private int _next;

    public PartitionStreamer(StreamPartition request, Address node, KeyValuePair<string, SiblingSet>[] entries, IActorRef receiver,
        TimeSpan idleTimeout)
    {
        _request = request;
        _node = node;
        _entries = entries;
        _receiver = receiver;
        Context.SetReceiveTimeout(idleTimeout);
    }

    public static Props Props(StreamPartition request, Address node, KeyValuePair<string, SiblingSet>[] entries, IActorRef receiver,
        TimeSpan idleTimeout) =>
        Akka.Actor.Props.Create(() => new PartitionStreamer(request, node, entries, receiver, idleTimeout));

    protected override void PreStart() => SendNext();

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case PartitionChunkStored s when s.RequestId == _request.RequestId:
                SendNext();
                break;
            case ReceiveTimeout:
                Context.Stop(Self); // the receiver stopped or its node went away; it asks again if it still needs to
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void SendNext()
    {
        var from = _next;
        long bytes = 0;
        // Up to ChunkBytes, but at least one key: a single key's state is what a read or repair sends in one message too.
        while (_next < _entries.Length)
        {
            var size = SizeOf(_entries[_next]);
            if (_next > from && bytes + size > _request.ChunkBytes) break;
            bytes += size;
            _next++;
        }
        var last = _next == _entries.Length;
        _receiver.Tell(new PartitionChunk(_request.RequestId, _node, _entries[from.._next], last), Self);
        if (last) Context.Stop(Self);
    }

    private static long SizeOf(KeyValuePair<string, SiblingSet> entry)
    {
        long size = entry.Key.Length * 2L + entry.Value.Clock.Count * 16L;
        foreach (var sibling in entry.Value.Siblings) size += (sibling.Value?.Length ?? 0) + OverheadPerSibling;
        return size;
    }
}
