using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Domain.Experiments.Results;

/// <summary>Results of an experiment's current phase from its aggregates; shared by the API and the report.</summary>
public sealed class ExperimentResultsService(IExperimentStore experiments, IExperimentMetricsStore metrics)
{
    /// <summary>The results, or null when there is no such experiment.</summary>
    public async Task<ExperimentResults?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var experiment = await experiments.GetAsync(key, cancellationToken);
        if (experiment is null)
        {
            return null;
        }
        var daily = await metrics.ListDailyAsync(experiment.Key, experiment.Phase, cancellationToken);
        return ExperimentAnalyzer.Analyze(experiment, daily);
    }
}
