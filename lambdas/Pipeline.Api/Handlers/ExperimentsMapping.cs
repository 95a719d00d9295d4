using Pipeline.Api.Contracts;
using Pipeline.Api.Http;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Bandits;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Handlers;

/// <summary>Between the experiment contract and the domain record.</summary>
internal static class ExperimentsMapping
{
    public static ExperimentBody ToBody(Experiment e) => new(
        e.Key,
        e.Status.ToString().ToLowerInvariant(),
        e.Phase,
        e.Variants.Select(v => new VariantBody(v.Key, v.Weight, v.Recipe, v.Campaign, v.Config)).ToArray(),
        e.Coverage,
        e.HashAttribute,
        e.Seed,
        e.Namespace is { } ns ? new NamespaceBody(ns.Id, ns.Start, ns.End) : null,
        e.HashVersion,
        e.Holdout,
        e.PrimaryMetric,
        e.Guardrails,
        e.MinimumDetectableEffect,
        e.CreatedAt,
        e.StartedAt,
        e.StoppedAt,
        e.WeightsChangedAt,
        e.Allocation,
        e.Bandit is { } b ? new BanditBody(b.Period.TotalSeconds, b.MinimumShare, b.BurnIn.TotalSeconds) : null,
        [.. e.WeightHistory.Select(p => new BanditPeriodBody(p.Number, p.StartedAt, p.Weights))]);

    /// <summary>
    /// Applies the fields the body names onto <paramref name="current"/> (every field for a new experiment);
    /// reports missing required fields. Range rules are left to <see cref="ExperimentValidator"/>.
    /// </summary>
    public static Experiment Apply(ExperimentRequestBody body, Experiment current, ValidationErrors errors)
    {
        var variants = current.Variants;
        if (body.Variants is { } given)
        {
            var mapped = new List<Variant>();
            for (var i = 0; i < given.Count; i++)
            {
                var v = given[i];
                if (v is null)
                {
                    errors.Add($"variants[{i}]", "A variant must be an object.");
                    continue;
                }
                if (v.Weight is null)
                {
                    errors.Add($"variants[{i}].weight", $"'variants[{i}].weight' is required.");
                }
                // A recipe's ARN is stored as its name: serving and the analysis look models up by name.
                mapped.Add(new Variant(v.Key ?? "", v.Weight ?? 0, Recipes.Normalize(v.Recipe ?? ""), v.Campaign, v.Config));
            }
            variants = mapped;
        }
        var ns = current.Namespace;
        if (body.Namespace is { } n)
        {
            if (n.Start is null || n.End is null)
            {
                errors.Add("namespace", "'namespace' needs 'id', 'start' and 'end'.");
            }
            ns = new ExperimentNamespace(n.Id ?? "", n.Start ?? 0, n.End ?? 0);
        }
        return current with
        {
            Variants = variants,
            Coverage = body.Coverage ?? current.Coverage,
            HashAttribute = body.HashAttribute ?? current.HashAttribute,
            Seed = body.Seed ?? current.Seed,
            Namespace = ns,
            HashVersion = body.HashVersion ?? current.HashVersion,
            Holdout = body.Holdout ?? current.Holdout,
            PrimaryMetric = body.PrimaryMetric ?? current.PrimaryMetric,
            Guardrails = body.GuardrailMetrics ?? current.Guardrails,
            MinimumDetectableEffect = body.MinimumDetectableEffect ?? current.MinimumDetectableEffect,
            Allocation = body.Allocation ?? current.Allocation,
            Bandit = body.Bandit is { } b
                ? Bandit(b, current.Bandit ?? BanditSettings.Default)
                : current.Bandit ?? (body.Allocation == ExperimentAllocation.Bandit ? BanditSettings.Default : null),
        };
    }

    // Fields the body leaves out keep their current value (GrowthBook-like defaults for a new bandit); seconds that are
    // not a finite span become TimeSpan.MinValue, which the validator refuses naming the field.
    private static BanditSettings Bandit(BanditBody body, BanditSettings current) => new(
        body.PeriodSeconds is { } period ? Seconds(period) : current.Period,
        body.MinimumShare ?? current.MinimumShare,
        body.BurnInSeconds is { } burnIn ? Seconds(burnIn) : current.BurnIn);

    private static TimeSpan Seconds(double seconds) =>
        double.IsFinite(seconds) && Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.FromSeconds(seconds) : TimeSpan.MinValue;

    public static void AddAll(ValidationErrors errors, IEnumerable<FieldError> fieldErrors)
    {
        foreach (var e in fieldErrors)
        {
            errors.Add(e.Field, e.Message);
        }
    }
}
