using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using LeaderlessActors.Partitioning;

namespace LeaderlessActors.Membership;

internal sealed partial class MembershipWatcher
{
    // When each owner was first seen out of reach, for automatic removal.
    private readonly Dictionary<Address, DateTimeOffset> _outSince = [];

    private void OnRemove(RemoveFromRing remove)
    {
        try
        {
            var node = Resolve(remove.Node);
            Take(node);
            Sender.Tell(new RingRemovalAnswer(ViewOf(_topology.Current), null));
        }
        catch (RingRemovalRefusedException refused)
        {
            Sender.Tell(new RingRemovalAnswer(null, refused));
        }
    }

    /// <summary>The ring node <paramref name="text"/> names: a full Akka address, or host:port.</summary>
    private Address Resolve(string text)
    {
        if (!_learned)
            throw new RingRemovalRefusedException(text, RingRemovalRefusal.NotInRing, "this node has not learned the ring yet; ask again shortly.");
        Func<Address, bool> matches;
        if (text.Contains("://", StringComparison.Ordinal))
        {
            Address address;
            try
            {
                address = Address.Parse(text);
            }
            catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
            {
                throw Malformed(text);
            }
            matches = a => a == address;
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                throw Malformed(text);
            var host = text[..colon];
            matches = a => string.Equals(a.Host, host, StringComparison.OrdinalIgnoreCase) && a.Port == port;
        }
        return _ring.Entries.Keys.FirstOrDefault(matches)
               ?? throw new RingRemovalRefusedException(text, RingRemovalRefusal.NotInRing, "no node of the ring has that address.");
    }

    private static RingRemovalRefusedException Malformed(string text) =>
        new(text, RingRemovalRefusal.MalformedNode, "name a node as host:port or as its full Akka address (akka.tcp://system@host:port).");

    /// <summary>Takes a dead owner out of the ring; refuses a live one. An unreachable member that Akka has not downed yet
    /// is downed first, so that incarnation cannot come back into the ring unnoticed.</summary>
    private void Take(Address node)
    {
        var text = node.ToString();
        if (node == SelfNode)
            throw new RingRemovalRefusedException(text, RingRemovalRefusal.Self, "a node cannot remove itself; let it leave gracefully instead.");
        if (_ring.StatusOf(node) == RingMemberStatus.Removed) return;
        if (IsReachableMember(node))
            throw new RingRemovalRefusedException(text, RingRemovalRefusal.Reachable,
                $"it is a reachable cluster member ({_members[node].Status}); only a dead owner is removed. Stop it or make it leave gracefully.");
        if (_members.TryGetValue(node, out var member) && member.Status != MemberStatus.Down)
            Cluster.Get(Context.System).Down(node);
        Change(RingTransitions.Remove(_ring, node));
        _outSince.Remove(node);
        Publish();
    }

    /// <summary>With <c>leaderless.ring.auto-remove-after</c> set, removes the owners out of reach for longer.</summary>
    private void RemoveLongDownOwners()
    {
        if (_settings.AutoRemoveAfter is not { } after || !_learned) return;
        var now = Context.System.Scheduler.Now;
        foreach (var owner in _ring.Owners.Where(o => o != SelfNode).ToArray())
        {
            if (IsReachableMember(owner))
            {
                _outSince.Remove(owner);
                continue;
            }
            if (!_outSince.TryGetValue(owner, out var since)) _outSince[owner] = since = now;
            if (now - since < after) continue;
            _log.Warning("Removing {0} from the ring: out of reach for {1} (leaderless.ring.auto-remove-after = {2}).", owner, now - since, after);
            Take(owner);
        }
    }

    private static RingView ViewOf(TopologySnapshot topology) => RingView.Of(topology);
}
