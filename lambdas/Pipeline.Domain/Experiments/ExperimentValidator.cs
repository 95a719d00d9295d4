using System.Text.RegularExpressions;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Domain.Experiments;

/// <summary>A field at fault, named as in the API's JSON (e.g. <c>variants[1].weight</c>).</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>
/// The rules an experiment must satisfy before it is stored. They are stricter than GrowthBook's
/// assignment, which silently falls back to equal weights when weights do not sum to ~1 and clamps
/// coverage: here such an experiment is refused, so what runs is what was configured.
/// </summary>
public static partial class ExperimentValidator
{
    public const double WeightTolerance = 0.001;
    public const int MaxKeyLength = 64;
    public const int MaxSeedLength = 256;
    public const int MaxConfigEntries = 32;
    public const int MaxConfigValueLength = 1024;

    public static IReadOnlyList<FieldError> Validate(Experiment experiment)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrEmpty(experiment.Key) || !KeyPattern().IsMatch(experiment.Key))
        {
            errors.Add(new("key", $"'key' must be 1-{MaxKeyLength} characters of a-z, 0-9, '-', '_' or '.', starting with a letter or digit."));
        }
        ValidateVariants(experiment.Variants, errors);
        if (experiment.Seed.Length > MaxSeedLength || experiment.Seed.Any(char.IsControl))
        {
            errors.Add(new("seed", $"'seed' must be at most {MaxSeedLength} characters, none of them a control character."));
        }
        if (!(experiment.Coverage is >= 0 and <= 1))
        {
            errors.Add(new("coverage", "'coverage' must be between 0 and 1."));
        }
        if (!(experiment.Holdout is >= 0 and < 1))
        {
            errors.Add(new("holdout", "'holdout' must be at least 0 and less than 1."));
        }
        if (experiment.HashAttribute != ExperimentDefaults.HashAttribute)
        {
            errors.Add(new("hash_attribute", $"'hash_attribute' must be '{ExperimentDefaults.HashAttribute}': users are the unit of randomization and analysis."));
        }
        if (experiment.HashVersion is not (1 or 2))
        {
            errors.Add(new("hash_version", "'hash_version' must be 1 or 2."));
        }
        if (experiment.Namespace is { } ns)
        {
            if (string.IsNullOrWhiteSpace(ns.Id))
            {
                errors.Add(new("namespace.id", "'namespace.id' is required."));
            }
            if (!(ns.Start >= 0 && ns.Start < ns.End && ns.End <= 1))
            {
                errors.Add(new("namespace", "'namespace' needs 0 <= start < end <= 1."));
            }
        }
        if (!ExperimentMetrics.All.Contains(experiment.PrimaryMetric))
        {
            errors.Add(new("primary_metric", $"'primary_metric' must be one of: {string.Join(", ", ExperimentMetrics.All)}."));
        }
        foreach (var guardrail in experiment.Guardrails.Where(g => !GuardrailMetrics.All.Contains(g)))
        {
            errors.Add(new("guardrail_metrics", $"'{guardrail}' is not a guardrail metric; use: {string.Join(", ", GuardrailMetrics.All)}."));
        }
        if (!(experiment.MinimumDetectableEffect > 0 && double.IsFinite(experiment.MinimumDetectableEffect)))
        {
            errors.Add(new("minimum_detectable_effect", "'minimum_detectable_effect' must be a positive relative lift (0.05 = 5%)."));
        }
        ValidateAllocation(experiment, errors);
        return errors;
    }

    private static void ValidateAllocation(Experiment experiment, List<FieldError> errors)
    {
        if (!Bandits.ExperimentAllocation.All.Contains(experiment.Allocation))
        {
            errors.Add(new("allocation", $"'allocation' must be one of: {string.Join(", ", Bandits.ExperimentAllocation.All)}."));
            return;
        }
        if (experiment.Allocation != Bandits.ExperimentAllocation.Bandit || experiment.Variants is not { Count: >= 2 } variants)
        {
            return;
        }
        if (experiment.Bandit is not { } bandit)
        {
            errors.Add(new("bandit", "'bandit' is required when 'allocation' is 'bandit'."));
            return;
        }
        if (!(bandit.Period >= TimeSpan.FromSeconds(1)))
        {
            errors.Add(new("bandit.period_seconds", "'bandit.period_seconds' must be at least 1."));
        }
        if (!(bandit.BurnIn >= TimeSpan.Zero))
        {
            errors.Add(new("bandit.burn_in_seconds", "'bandit.burn_in_seconds' must be at least 0."));
        }
        if (!(bandit.MinimumShare >= 0 && bandit.MinimumShare * variants.Count < 1))
        {
            errors.Add(new("bandit.minimum_share", $"'bandit.minimum_share' must be at least 0 and less than 1 / {variants.Count} (the number of variants)."));
        }
    }

    /// <summary>Weights must each be in [0, 1] and sum to 1 ± <see cref="WeightTolerance"/>.</summary>
    public static void ValidateWeights(IReadOnlyList<double> weights, string field, List<FieldError> errors)
    {
        for (var i = 0; i < weights.Count; i++)
        {
            if (!(weights[i] is >= 0 and <= 1))
            {
                errors.Add(new($"{field}[{i}].weight", "A weight must be between 0 and 1."));
            }
        }
        var sum = weights.Sum();
        if (!(Math.Abs(sum - 1) <= WeightTolerance))
        {
            errors.Add(new(field, $"The weights must sum to 1 (± {WeightTolerance}); they sum to {sum:0.######}."));
        }
    }

    private static void ValidateVariants(IReadOnlyList<Variant>? variants, List<FieldError> errors)
    {
        if (variants is null || variants.Count < 2)
        {
            errors.Add(new("variants", "An experiment needs at least two variants (the first is the control)."));
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < variants.Count; i++)
        {
            var v = variants[i];
            if (string.IsNullOrEmpty(v.Key) || !KeyPattern().IsMatch(v.Key))
            {
                errors.Add(new($"variants[{i}].key", $"A variant key must be 1-{MaxKeyLength} characters of a-z, 0-9, '-', '_' or '.'."));
            }
            else if (!seen.Add(v.Key))
            {
                errors.Add(new($"variants[{i}].key", $"The variant key '{v.Key}' is used twice; keys must be unique."));
            }
            if (string.IsNullOrWhiteSpace(v.Recipe) && string.IsNullOrWhiteSpace(v.Campaign))
            {
                errors.Add(new($"variants[{i}].recipe", "A variant needs a 'recipe' or a 'campaign'."));
            }
            else if (!string.IsNullOrEmpty(v.Recipe) && !Recipes.All.Contains(Recipes.Normalize(v.Recipe)))
            {
                errors.Add(new($"variants[{i}].recipe", $"'{Shorten(v.Recipe)}' is not a recipe; use one of: {string.Join(", ", Recipes.All)} (or its ARN)."));
            }
            if (!string.IsNullOrEmpty(v.Campaign) && !CampaignArnPattern().IsMatch(v.Campaign))
            {
                errors.Add(new($"variants[{i}].campaign", "'campaign' must be a Personalize campaign ARN: arn:aws:personalize:<region>:<account>:campaign/<name>."));
            }
            ValidateConfig(v.Config, $"variants[{i}].config", errors);
        }
        ValidateWeights(variants.Select(v => v.Weight).ToArray(), "variants", errors);
    }

    // Free-form, but stored with the experiment and returned on every read: bounded like the rest of it.
    private static void ValidateConfig(IReadOnlyDictionary<string, string>? config, string field, List<FieldError> errors)
    {
        if (config is null)
        {
            return;
        }
        if (config.Count > MaxConfigEntries)
        {
            errors.Add(new(field, $"'config' holds at most {MaxConfigEntries} entries."));
        }
        foreach (var (name, value) in config)
        {
            if (name.Length is 0 or > MaxKeyLength || name.Any(char.IsControl) || value is null || value.Length > MaxConfigValueLength)
            {
                errors.Add(new($"{field}.{Shorten(name)}", $"A config entry needs a name of 1-{MaxKeyLength} characters (no control characters) and a value of at most {MaxConfigValueLength}."));
            }
        }
    }

    private static string Shorten(string value) => value.Length <= MaxKeyLength ? value : value[..MaxKeyLength] + "…";

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex KeyPattern();

    // Personalize's own pattern for a campaign ARN (partition, region, 12-digit account, a name of up to 63 characters).
    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:personalize:[a-z]{2}(-[a-z]+)+-\d:\d{12}:campaign/[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$")]
    private static partial Regex CampaignArnPattern();
}
