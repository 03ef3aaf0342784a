namespace LeaderlessActors.Serialization;

/// <summary>
/// Marker for every message of the store that crosses a process boundary. `reference.conf` binds it to the
/// store's own serializer (<see cref="WireSerializer"/>); the store injects that binding when it starts.
/// </summary>
public interface ILeaderlessWireMessage;
