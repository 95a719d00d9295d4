using System.Globalization;

namespace Pipeline.Domain.Training;

/// <summary>The outcome of the metric gate: promote or keep, and why (a failed gate promotes nothing and names its error).</summary>
public sealed record GateDecision(bool Promote, string Reason, string? Error = null)
{
    /// <summary>The error name a gate that cannot decide reports (the workflow fails the recipe with it).</summary>
    public const string MetricMissing = "Pipeline.MetricMissing";

    public const string InvalidGateInput = "Pipeline.InvalidGateInput";
}

/// <summary>
/// When a newly trained solution version replaces the one a campaign serves: always when nothing is served yet,
/// otherwise when <c>candidate &gt;= served + min_improvement</c> on the chosen offline metric. Compared in decimal, so a
/// candidate exactly at the margin (0.4 against 0.3 + 0.1) passes, which binary doubles would get wrong.
/// </summary>
public sealed class PromotionRule
{
    public GateDecision Decide(string metric, decimal minImprovement, IReadOnlyDictionary<string, decimal?> candidate, IReadOnlyDictionary<string, decimal?>? served)
    {
        if (minImprovement < 0)
        {
            return new GateDecision(false, $"min_improvement must be a number >= 0, got {Format(minImprovement)}", GateDecision.InvalidGateInput);
        }
        if (!candidate.TryGetValue(metric, out var score) || score is not { } candidateScore)
        {
            var reported = candidate.Count == 0 ? "none" : string.Join(", ", candidate.Keys.Order(StringComparer.Ordinal));
            return new GateDecision(false, $"the new version reports no {metric} (its metrics: {reported})", GateDecision.MetricMissing);
        }
        if (served is null)
        {
            return new GateDecision(true, $"no version is served yet: the new one ({metric} {Format(candidateScore)}) is deployed");
        }
        // A served version without the metric cannot be compared; keeping it would block every later version.
        if (!served.TryGetValue(metric, out var servedValue) || servedValue is not { } servedScore)
        {
            return new GateDecision(true, $"the served version reports no {metric}: the new one ({Format(candidateScore)}) replaces it");
        }
        var required = servedScore + minImprovement;
        return candidateScore >= required
            ? new GateDecision(true, $"{metric} {Format(candidateScore)} >= served {Format(servedScore)} + {Format(minImprovement)}")
            : new GateDecision(false, $"{metric} {Format(candidateScore)} < served {Format(servedScore)} + {Format(minImprovement)} = {Format(required)}");
    }

    private static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
