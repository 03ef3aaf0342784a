using Akka.Actor;
using Akka.Configuration;
using HdrHistogram;
using LeaderlessActors.Benchmarks.Cluster;
using LeaderlessActors.Benchmarks.Load;

namespace LeaderlessActors.Benchmarks.Baselines;

/// <summary>A request or its echoed response: the same payload size as the store's values, serialized by Hyperion.</summary>
public sealed record Ping(long SentAt, byte[] Payload);

/// <summary>
/// The raw remoting limit: request/response between two ActorSystems over Akka.Remote TCP on loopback, with no ask and
/// no logic per message. A pinger keeps a fixed window of requests in flight and sends the next one as each response
/// arrives, so the window is the concurrency; a wide window gives the pipelined limit.
/// </summary>
internal static class RemotingLimit
{
    public static async Task<Measurement> RunAsync(int window, int payloadBytes, TimeSpan warmup, TimeSpan duration)
    {
        var config = ConfigurationFactory.ParseString(NodeSetup.RemotingConfig(0) + $$"""

            akka.actor.provider = remote
            akka.actor.serialization-bindings {
              "{{typeof(Ping).FullName}}, {{typeof(Ping).Assembly.GetName().Name}}" = hyperion
            }
            """);
        var client = ActorSystem.Create("remoting-client", config);
        var server = ActorSystem.Create("remoting-server", config);
        try
        {
            server.ActorOf(Props.Create(() => new Echo()), "echo");
            var serverAddress = ((ExtendedActorSystem)server).Provider.DefaultAddress;
            var echo = await client.ActorSelection(new RootActorPath(serverAddress) / "user" / "echo").ResolveOne(TimeSpan.FromSeconds(10));
            var pinger = client.ActorOf(Props.Create(() => new Pinger(echo, window, new byte[payloadBytes])));
            await Task.Delay(warmup);
            await pinger.Ask<Pinger.Started>(Pinger.StartMeasuring.Instance, TimeSpan.FromSeconds(10));
            var measured = new MeasurementWindow();
            await Task.Delay(duration);
            measured.Stop();
            var result = await pinger.Ask<Pinger.Result>(Pinger.StopMeasuring.Instance, TimeSpan.FromSeconds(10));
            return measured.Result(result.Operations, 0, result.Latency, null);
        }
        finally
        {
            await Task.WhenAll(client.Terminate(), server.Terminate());
        }
    }

    private sealed class Echo : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(message);
    }

    private sealed class Pinger : UntypedActor
    {
        public sealed record StartMeasuring
        {
            public static readonly StartMeasuring Instance = new();
        }

        public sealed record StopMeasuring
        {
            public static readonly StopMeasuring Instance = new();
        }

        public sealed record Started;

        public sealed record Result(long Operations, HistogramBase Latency);

        private readonly IActorRef _echo;
        private readonly byte[] _payload;
        private readonly HistogramBase _latency = Measurement.NewHistogram();
        private bool _measuring;
        private bool _stopped;
        private long _operations;

        public Pinger(IActorRef echo, int window, byte[] payload)
        {
            _echo = echo;
            _payload = payload;
            for (var i = 0; i < window; i++) Send();
        }

        private void Send() => _echo.Tell(new Ping(System.Diagnostics.Stopwatch.GetTimestamp(), _payload));

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Ping ping when !_stopped:
                    if (_measuring)
                    {
                        _latency.RecordValue(Measurement.ElapsedMicroseconds(ping.SentAt));
                        _operations++;
                    }
                    Send();
                    break;
                case StartMeasuring:
                    _measuring = true;
                    Sender.Tell(new Started());
                    break;
                case StopMeasuring:
                    _stopped = true;
                    Sender.Tell(new Result(_operations, _latency));
                    break;
            }
        }
    }
}
