using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Bandits;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Domain.Recommendations;

/// <summary>
/// The experiment variant one serving request gets, as recommendations and rankings both choose it: the variant the
/// request forces by key (QA), else the user's sticky assignment. Only an assigned user's list is an exposure, so a
/// forced variant never counts in the experiment's results.
/// </summary>
internal sealed record ServedVariant(Experiment? Experiment, Variant? Variant, bool Forced)
{
    public static async Task<ServedVariant> ChooseAsync(
        Experiment? experiment, string? forcedKey, string userId, StickyAssignment assignment, CancellationToken cancellationToken)
    {
        var forced = experiment?.Variants.FirstOrDefault(v => v.Key == forcedKey);
        var variant = forced ?? (experiment is null ? null : await assignment.AssignAsync(experiment, userId, cancellationToken));
        return new ServedVariant(experiment, variant, forced is not null);
    }

    /// <summary>Logs the served list as this variant's exposure, unless the variant was forced or there is none.</summary>
    public async Task RecordExposureAsync(IExperimentTracking tracking, string recommendationId, string userId, string recipe,
        string servedBy, IEnumerable<string> itemIds, TimeProvider time, long started, CancellationToken cancellationToken)
    {
        if (Experiment is null || Variant is null || Forced)
        {
            return;
        }
        var exposure = new Exposure(recommendationId, Experiment.Key, Variant.Key, userId, recipe, servedBy, itemIds.ToArray(), time.GetUtcNow());
        await tracking.ExposedAsync(exposure, Experiment.Phase, time.GetElapsedTime(started), BanditAllocator.CurrentPeriod(Experiment), cancellationToken);
    }
}
