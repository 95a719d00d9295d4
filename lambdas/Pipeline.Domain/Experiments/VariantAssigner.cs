namespace Pipeline.Domain.Experiments;

/// <summary>
/// Deterministic, GrowthBook-compatible assignment of a user to a variant (the hashing part of
/// GrowthBook's <c>run</c>: variation count, status, hash value, namespace, hash, ranges).
/// Targeting conditions, forced variations, URL targeting and QA mode are not part of this model.
/// </summary>
public static class VariantAssigner
{
    private const int StackLimit = 32;

    /// <summary>The user's variant, or <see langword="null"/> when the user is not in the experiment.</summary>
    public static Variant? Assign(Experiment experiment, string? userId)
    {
        var index = AssignIndex(experiment, userId);
        return index < 0 ? null : experiment.Variants[index];
    }

    /// <summary>
    /// Index of the user's variant in <see cref="Experiment.Variants"/>, or -1 when the user is not in the
    /// experiment: fewer than two variants, not running, empty user id, outside the namespace,
    /// unknown hash version, or outside coverage.
    /// </summary>
    public static int AssignIndex(Experiment experiment, string? userId)
    {
        ArgumentNullException.ThrowIfNull(experiment);

        var variants = experiment.Variants;
        var count = variants.Count;
        if (count < 2 || experiment.Status != ExperimentStatus.Running || string.IsNullOrEmpty(userId))
        {
            return -1;
        }

        if (experiment.Namespace is { } ns && !BucketRanges.InNamespace(userId, ns))
        {
            return -1;
        }

        var seed = experiment.HashSeed();
        if (GrowthBookHash.Hash(seed, userId, experiment.HashVersion) is not { } n)
        {
            return -1;
        }

        Span<double> weights = count <= StackLimit ? stackalloc double[count] : new double[count];
        for (var i = 0; i < count; i++)
        {
            weights[i] = variants[i].Weight;
        }

        Span<BucketRange> ranges = count <= StackLimit ? stackalloc BucketRange[count] : new BucketRange[count];
        BucketRanges.GetBucketRanges(experiment.Coverage, weights, ranges);
        return BucketRanges.ChooseVariation(n, ranges);
    }

    /// <summary>
    /// Whether the user is in the experiment's holdout: hash version 2 of the user with the seed
    /// <c>{seed}__holdout</c> below <see cref="Experiment.Holdout"/>. The separate seed makes the holdout
    /// independent of the variant buckets, and it does not depend on the phase, so held-out users stay out.
    /// </summary>
    public static bool InHoldout(Experiment experiment, string? userId)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        if (!(experiment.Holdout > 0) || string.IsNullOrEmpty(userId))
        {
            return false;
        }
        return GrowthBookHash.Hash(experiment.HashSeed() + "__holdout", userId, 2) is { } n && n < experiment.Holdout;
    }
}
