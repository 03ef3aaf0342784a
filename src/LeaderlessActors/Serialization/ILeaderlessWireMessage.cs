namespace LeaderlessActors.Serialization;

/// <summary>
/// Marker for every message and persisted event that crosses a process boundary. `reference.conf` binds it to the
/// store's own serializer (<see cref="WireSerializer"/>); the store injects that binding when it starts.
/// </summary>
public interface ILeaderlessWireMessage;
