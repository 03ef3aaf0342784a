using Akka.Configuration;

namespace LeaderlessActors.Tests;

/// <summary>
/// A test ActorSystem on Akka's <see cref="Akka.TestKit.TestScheduler"/>: its timers, receive timeouts and deadlines move
/// only when a spec advances the scheduler, so a spec decides what reaches an actor before a timeout does, whatever the
/// machine's load.
/// </summary>
internal static class VirtualTime
{
    public static Config Config => ConfigurationFactory.ParseString("akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\"");
}
