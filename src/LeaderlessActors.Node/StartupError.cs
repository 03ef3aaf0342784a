using System.Net.Sockets;

namespace LeaderlessActors.Node;

/// <summary>Turns the exceptions of a failed start into one line that names the option or setting to fix.</summary>
internal static class StartupError
{
    /// <summary>The message for <paramref name="error"/>, or null when it is not a start-up problem of the user's.</summary>
    public static string? Describe(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case NodeOptionException option:
                    return option.Message;
                case LeaderlessConfigurationException config:
                    return config.Message;
                case IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException } io:
                    return $"Invalid --http-port or --http-hostname: {io.Message}"; // Kestrel's; its inner exceptions name no option
                case SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse or SocketError.AddressNotAvailable } socket:
                    return $"Invalid --port or --hostname: remoting cannot bind ({socket.Message}).";
                case Akka.Remote.RemoteTransportException remote:
                    return $"Invalid --port or --hostname: remoting cannot start ({remote.Message}).";
            }
        }
        return null;
    }
}
