using System.Diagnostics;
using Pipeline.Domain.Events;

namespace Pipeline.Domain.Experiments.Metrics;

/// <summary>
/// Records exposures and attributions in the request, against the host's own stores (the local stack's SQLite).
/// The exposure's metrics update is queued before the response, ahead of any event the client sends after it (the
/// local store runs queued updates in order); serving does not wait for its commit, and a failure is traced, never
/// the request's.
/// </summary>
public sealed class ImmediateExperimentTracking(IExposureStore exposures, ExperimentMetricsRecorder recorder) : IExperimentTracking
{
    public async Task ExposedAsync(Exposure exposure, int phase, TimeSpan latency, int period = 0, CancellationToken cancellationToken = default)
    {
        await exposures.AppendAsync(exposure, cancellationToken);
        var committed = await recorder.StartExposureAsync(exposure, phase, latency, period, cancellationToken);
        _ = committed.ContinueWith(
            failed => Trace.TraceError($"Exposure metrics of {exposure.RecommendationId} were not recorded: {failed.Exception?.GetBaseException().Message}"),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    public Task EventsAcceptedAsync(IReadOnlyList<InteractionEvent> events, CancellationToken cancellationToken = default) =>
        recorder.RecordEventsAsync(events, cancellationToken);
}
