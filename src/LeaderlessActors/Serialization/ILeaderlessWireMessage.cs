namespace LeaderlessActors.Serialization;

/// <summary>
/// Marker for every message and persisted event that crosses a process boundary. `reference.conf` binds it to Hyperion,
/// and the store re-registers that binding at start-up so an application config that replaced the bindings still works.
/// </summary>
public interface ILeaderlessWireMessage;
