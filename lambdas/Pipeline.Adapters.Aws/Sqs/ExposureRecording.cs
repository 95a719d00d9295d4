using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Adapters.Aws.Sqs;

/// <summary>
/// The consumer's handling of exposure messages: stores each exposure (for attribution) and records its metrics, both
/// idempotent by recommendation id, so a redelivered message counts once. Runs before the batch's events, so a click
/// that arrives in the same batch as its exposure is attributed.
/// </summary>
public sealed class ExposureRecording(IExposureStore exposures, ExperimentMetricsRecorder recorder)
{
    /// <summary>Records the exposures (distinct recommendation ids) and returns the ids that failed, with the first error.</summary>
    public async Task<(IReadOnlySet<string> Failed, Exception? FirstError)> HandleAsync(
        IReadOnlyList<ExposureMessage> messages, CancellationToken cancellationToken)
    {
        var outcomes = await Task.WhenAll(messages.Select(async message =>
        {
            try
            {
                await exposures.AppendAsync(message.Exposure, cancellationToken);
                await recorder.RecordExposureAsync(message.Exposure, message.Phase, TimeSpan.FromMilliseconds(message.LatencyMs), message.Period, cancellationToken);
                return (message.Exposure.RecommendationId, Error: (Exception?)null);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return (message.Exposure.RecommendationId, Error: e);
            }
        }));
        var failed = outcomes.Where(o => o.Error is not null).ToList();
        return (failed.Select(o => o.RecommendationId).ToHashSet(StringComparer.Ordinal), failed.FirstOrDefault().Error);
    }
}
