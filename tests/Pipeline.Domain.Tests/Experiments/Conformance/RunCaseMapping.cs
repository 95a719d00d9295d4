using System.Globalization;
using System.Text.Json.Nodes;
using Pipeline.Domain.Experiments;

namespace Pipeline.Domain.Tests.Experiments.Conformance;

/// <summary>
/// Which GrowthBook <c>run</c> cases a plain <see cref="Experiment"/> can express, and how to express them.
/// </summary>
internal static class RunCaseMapping
{
    /// <summary>Experiment properties our model covers; <c>active</c> maps to <see cref="Experiment.Status"/>.</summary>
    private static readonly HashSet<string> SupportedExperimentKeys =
        ["key", "variations", "weights", "coverage", "namespace", "seed", "hashVersion", "active"];

    /// <summary>Context properties our model covers: only the user's attributes.</summary>
    private static readonly HashSet<string> SupportedContextKeys = ["attributes"];

    /// <summary>Attributes our model covers: only <c>id</c>, the unit of randomization.</summary>
    private static readonly HashSet<string> SupportedAttributes = ["id"];

    /// <summary>
    /// A case applies when it uses nothing but the supported experiment keys, a context with nothing but
    /// <c>attributes</c>, and attributes with nothing but <c>id</c> (a string, null or absent). Everything else
    /// (targeting <c>condition</c>, <c>parentConditions</c>, <c>savedGroups</c>, <c>filters</c>, explicit
    /// <c>ranges</c>, <c>force</c>, <c>forcedVariations</c>, <c>qaMode</c>, <c>url</c>, <c>enabled</c>,
    /// custom <c>hashAttribute</c>) is a feature this model does not implement.
    /// </summary>
    public static bool Applies(JsonObject context, JsonObject experiment)
    {
        if (!experiment.All(p => SupportedExperimentKeys.Contains(p.Key)) ||
            !context.All(p => SupportedContextKeys.Contains(p.Key)))
        {
            return false;
        }

        var attributes = context["attributes"]?.AsObject();
        if (attributes is null)
        {
            return true;
        }

        return attributes.All(p => SupportedAttributes.Contains(p.Key))
            && (attributes["id"] is null || attributes["id"]!.GetValueKind() == System.Text.Json.JsonValueKind.String);
    }

    public static string? UserId(JsonObject context) =>
        context["attributes"]?["id"]?.GetValue<string>();

    /// <summary>
    /// Variant i gets key "i", the case's weight (GrowthBook's equal weights when absent or of the wrong length)
    /// and the variation's JSON as its recipe. Absent hashVersion means 1, the GrowthBook SDK default
    /// (our model defaults new experiments to 2); absent seed means the key; absent coverage means 1.
    /// </summary>
    public static Experiment ToExperiment(JsonObject experiment)
    {
        var variations = experiment["variations"]!.AsArray();
        var weights = experiment["weights"].ToDoubles();
        if (weights.Length != variations.Count)
        {
            weights = BucketRanges.GetEqualWeights(variations.Count);
        }

        var variants = variations
            .Select((v, i) => new Variant(i.ToString(CultureInfo.InvariantCulture), weights[i], v?.ToJsonString() ?? "null"))
            .ToArray();

        var ns = experiment["namespace"]?.AsArray();
        return new Experiment(
            Key: experiment["key"]!.GetValue<string>(),
            Status: experiment["active"]?.GetValue<bool>() == false ? ExperimentStatus.Stopped : ExperimentStatus.Running,
            Variants: variants,
            Coverage: experiment["coverage"]?.GetValue<double>() ?? 1,
            Seed: experiment["seed"]?.GetValue<string>() ?? "",
            CreatedAt: DateTimeOffset.UnixEpoch,
            Namespace: ns is null ? null : new ExperimentNamespace(ns[0]!.GetValue<string>(), ns[1]!.GetValue<double>(), ns[2]!.GetValue<double>()),
            HashVersion: experiment["hashVersion"]?.GetValue<int>() ?? 1);
    }
}
