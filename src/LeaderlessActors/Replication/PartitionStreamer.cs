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
    private readonly StreamPartition _request;
    private readonly Address _node;
    private readonly KeyValuePair<string, SiblingSet>[] _entries;
    private readonly IActorRef _receiver;
    private readonly long _chunkBytes;
    private readonly long _earlierEpoch;
    private int _next;

    public PartitionStreamer(StreamPartition request, Address node, KeyValuePair<string, SiblingSet>[] entries, IActorRef receiver,
        RepairSettings settings, long earlierEpoch)
    {
        _earlierEpoch = earlierEpoch;
        _request = request;
        _node = node;
        _entries = entries;
        _receiver = receiver;
        // The asker's chunk size, but never more than this node's own: its frame size is what bounds what it can send.
        _chunkBytes = Math.Min(request.ChunkBytes, settings.ChunkBytes);
        Context.SetReceiveTimeout(settings.IdleTimeout);
    }

    public static Props Props(StreamPartition request, Address node, KeyValuePair<string, SiblingSet>[] entries, IActorRef receiver,
        RepairSettings settings, long earlierEpoch) =>
        Akka.Actor.Props.Create(() => new PartitionStreamer(request, node, entries, receiver, settings, earlierEpoch));

    protected override void PreStart()
    {
        Context.Watch(_receiver); // a receiver that gave up or went away stops the stream at once
        SendNext();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case PartitionChunkStored s when s.RequestId == _request.RequestId:
                SendNext();
                break;
            case ReceiveTimeout or Terminated:
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
        (_next, _) = KeyChunks.Next(_entries, from, _chunkBytes);
        var last = _next == _entries.Length;
        _receiver.Tell(new PartitionChunk(_request.RequestId, _node, _entries[from.._next], last, _earlierEpoch), Self);
        if (last) Context.Stop(Self);
    }
}
