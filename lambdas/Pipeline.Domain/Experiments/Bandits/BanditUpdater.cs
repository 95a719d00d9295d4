using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Domain.Experiments.Bandits;

/// <summary>
/// Runs the due bandit updates of every running bandit experiment: what `pipeline up`'s scheduler calls every second.
/// Each write is conditional on the experiment read, so an update racing an operator's change is dropped, not merged.
/// </summary>
public sealed class BanditUpdater(IExperimentStore experiments, IExperimentMetricsStore metrics, TimeProvider time)
{
    /// <summary>The experiments whose weights changed.</summary>
    public async Task<IReadOnlyList<Experiment>> UpdateDueAsync(CancellationToken cancellationToken = default)
    {
        var updated = new List<Experiment>();
        var now = time.GetUtcNow();
        foreach (var experiment in await experiments.ListAsync(cancellationToken))
        {
            if (!BanditAllocator.IsDue(experiment, now)) continue;
            var daily = await metrics.ListDailyAsync(experiment.Key, experiment.Phase, cancellationToken);
            if (BanditAllocator.Update(experiment, daily, now) is { } next && await experiments.ReplaceAsync(experiment, next, cancellationToken))
                updated.Add(next);
        }
        return updated;
    }
}
