using System.Diagnostics;
using System.Threading.Channels;
using LeaderlessActors.Diagnostics;

namespace LeaderlessActors.Tests.Diagnostics;

/// <summary>
/// Listens to the store's activity source and records the spans that end under one test's own root span, so specs running
/// at the same time (whose spans this listener samples too) do not mix in. Start the root with <see cref="StartRoot"/>,
/// make the requests inside it, then await <see cref="WaitForAsync"/>.
/// </summary>
internal sealed class SpanRecorder : IDisposable
{
    private const string TestSourceName = "LeaderlessActors.Tests.Tracing";

    private readonly ActivitySource _testSource = new(TestSourceName);
    private readonly ActivityListener _listener;
    private readonly Channel<Activity> _stopped = Channel.CreateUnbounded<Activity>();
    private readonly List<Activity> _seen = [];
    private ActivityTraceId _trace;

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is StoreTracing.ActivitySourceName or TestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == _trace && activity.Source.Name == StoreTracing.ActivitySourceName) _stopped.Writer.TryWrite(activity);
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The test's root span, current until disposed: the store's spans made meanwhile are recorded.</summary>
    public Activity StartRoot()
    {
        var root = _testSource.StartActivity("test") ?? throw new InvalidOperationException("The test's source is not listened to.");
        _trace = root.TraceId;
        return root;
    }

    /// <summary>The store's spans ended under the root so far, once <paramref name="done"/> holds of them; fails after
    /// <paramref name="timeout"/> naming what it saw.</summary>
    public async Task<IReadOnlyList<Activity>> WaitForAsync(Func<IReadOnlyList<Activity>, bool> done, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (!done(_seen)) _seen.Add(await _stopped.Reader.ReadAsync(cancel.Token));
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"After {timeout} the spans ended were: {string.Join(", ", _seen.Select(s => s.OperationName))}");
        }
        return _seen.ToArray();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _testSource.Dispose();
    }
}
