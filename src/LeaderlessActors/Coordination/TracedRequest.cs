using System.Diagnostics;

namespace LeaderlessActors.Coordination;

/// <summary>
/// From the store's async API to its gateway, in place of <see cref="Request"/> when the request is traced: its span's
/// context, which the coordinator's replica spans are children of. Local only (it never crosses nodes, so no wire format
/// carries it); an untraced request is sent bare, and costs nothing.
/// </summary>
internal sealed record TracedRequest(IStoreRequest Request, ActivityContext Trace);
