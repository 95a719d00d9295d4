namespace Pipeline.Domain.Experiments;

/// <summary>
/// Puts a user in a variant of a running experiment and keeps them there (GrowthBook's sticky bucketing):
/// an earlier assignment wins, a new one is stored first-writer-wins. Users in the holdout, and users of
/// experiments that are not running, get no variant.
/// </summary>
public sealed class StickyAssignment(IAssignmentStore assignments, TimeProvider time)
{
    public async Task<Variant?> AssignAsync(Experiment experiment, string userId, CancellationToken cancellationToken = default)
    {
        if (experiment.Status != ExperimentStatus.Running || VariantAssigner.InHoldout(experiment, userId))
        {
            return null;
        }
        var sticky = await assignments.GetAsync(experiment.StickyKey(), userId, cancellationToken);
        var variant = sticky is null ? null : experiment.Variants.FirstOrDefault(v => v.Key == sticky.VariantKey);
        if (variant is not null)
        {
            return variant;
        }
        variant = VariantAssigner.Assign(experiment, userId);
        if (variant is not null)
        {
            var stored = await assignments.GetOrAddAsync(new Assignment(experiment.StickyKey(), userId, variant.Key, time.GetUtcNow()), cancellationToken);
            variant = experiment.Variants.FirstOrDefault(v => v.Key == stored.VariantKey) ?? variant;
        }
        return variant;
    }
}
