using System.Globalization;
using Pipeline.Domain.Experiments.Results;

namespace Pipeline.Domain.Training.OnlineGate;

public enum OnlineGateOutcome { Wait, Promote, RollBack }

/// <summary>One poll's decision and the figures it was made on (null where the results do not have them yet).</summary>
public sealed record OnlineGateDecision(
    OnlineGateOutcome Outcome,
    string Reason,
    long ControlUsers,
    long ChallengerUsers,
    double? Lift,
    double? SequentialLow,
    double? SequentialHigh,
    double ElapsedDays)
{
    /// <summary>The workflow's name of the outcome: <c>wait</c>, <c>promote</c> or <c>rollback</c>.</summary>
    public string Name => Outcome switch
    {
        OnlineGateOutcome.Promote => "promote",
        OnlineGateOutcome.RollBack => "rollback",
        _ => "wait",
    };
}

/// <summary>
/// The online gate's rule, read off the experiment's results (the same analysis <c>GET /experiments/{key}/results</c>
/// answers) for the challenger against the control:
/// <list type="number">
/// <item>a guardrail of <see cref="OnlineGateSettings.Guardrails"/> flagged as harm for the challenger (its always-valid
/// sequential interval of challenger − control above 0, <see cref="GuardrailResult.SequentialHarm"/>) → roll back. The gate
/// looks at every poll, so a fixed-horizon interval would be peeked at hundreds of times and roll back a harmless challenger
/// far more often than its α; the sequential one keeps that chance at most <see cref="ExperimentAnalyzer.GuardrailAlpha"/> per
/// guardrail over the whole gate;</item>
/// <item>the always-valid sequential interval of the relative lift on <see cref="OnlineGateSettings.Metric"/> entirely
/// below 0 → roll back (significant harm; valid at any poll, so no minimum sample);</item>
/// <item>that interval entirely above 0, the challenger has at least <see cref="OnlineGateSettings.MinUsers"/> exposed
/// users and the split shows no sample-ratio mismatch → promote;</item>
/// <item>otherwise wait, until <see cref="OnlineGateSettings.MaxDays"/> of workflow time have passed: then the outcome is
/// inconclusive and the decision is to roll back, i.e. the control is kept (no evidence for the challenger is no reason to
/// keep serving it a share of the traffic). The reason says <c>inconclusive</c>, and the workflow's rollback removes the
/// challenger, restores the other weights and sends that reason to the alert topic, as for any rollback. A challenger is
/// therefore never left at its weight once max_days have passed; only a run that ends without deciding (failed, aborted,
/// timed out) leaves it, until the next gated run's <c>enter</c> removes it.</item>
/// </list>
/// </summary>
public sealed class OnlineGateRule
{
    /// <summary>The word a max_days rollback's reason carries (what the rollback alert shows), unlike a rollback on evidence of harm.</summary>
    public const string Inconclusive = "inconclusive";

    public OnlineGateDecision Decide(OnlineGateSettings settings, ExperimentResults results, string challenger, double elapsedSeconds)
    {
        var days = elapsedSeconds / 86400.0;
        var control = results.Variants.FirstOrDefault(v => v.Key == results.Control);
        var candidate = results.Variants.FirstOrDefault(v => v.Key == challenger)
            ?? throw new ArgumentException($"the experiment {results.ExperimentKey} has no variant {challenger}", nameof(challenger));
        var comparison = results.Metrics.FirstOrDefault(m => m.Metric == settings.Metric)?.Comparisons.FirstOrDefault(c => c.Variant == challenger);
        var sequential = comparison?.SequentialRelative;
        OnlineGateDecision Decision(OnlineGateOutcome outcome, string reason) => new(outcome, reason, control?.Users ?? 0, candidate.Users,
            sequential?.Estimate, sequential?.CiLow, sequential?.CiHigh, days);

        foreach (var guardrail in settings.Guardrails)
        {
            var result = results.Guardrails.FirstOrDefault(g => g.Metric == guardrail && g.Variant == challenger);
            if (result is { SequentialHarm: true })
            {
                return Decision(OnlineGateOutcome.RollBack,
                    $"guardrail {guardrail}: {challenger} {F(result.TreatmentValue)} is significantly worse than {results.Control} {F(result.ControlValue)}"
                    + $" (sequential interval of the difference{Of(result)} [{F(result.Sequential?.CiLow)}, {F(result.Sequential?.CiHigh)}])");
            }
        }
        var interval = sequential is null ? "no sequential interval yet" : $"sequential interval of the relative lift [{F(sequential.CiLow)}, {F(sequential.CiHigh)}]";
        if (sequential is { CiHigh: < 0 })
        {
            return Decision(OnlineGateOutcome.RollBack, $"{settings.Metric}: {challenger} is significantly worse than {results.Control} ({interval})");
        }
        if (sequential is { CiLow: > 0 })
        {
            if (candidate.Users < settings.MinUsers)
            {
                return Expired() ?? Decision(OnlineGateOutcome.Wait,
                    $"{settings.Metric}: {challenger} is better ({interval}) but has {candidate.Users} of the {settings.MinUsers} users needed");
            }
            if (results.Srm.Mismatch)
            {
                return Expired() ?? Decision(OnlineGateOutcome.Wait,
                    $"{settings.Metric}: {challenger} is better ({interval}) but the split shows a sample-ratio mismatch (p {F(results.Srm.PValue)})");
            }
            return Decision(OnlineGateOutcome.Promote,
                $"{settings.Metric}: {challenger} beats {results.Control} ({interval}) with {candidate.Users} users");
        }
        return Expired() ?? Decision(OnlineGateOutcome.Wait, $"{settings.Metric}: no evidence yet ({interval}; {candidate.Users} users)");

        OnlineGateDecision? Expired() => days >= settings.MaxDays
            ? Decision(OnlineGateOutcome.RollBack,
                $"max_days {F(settings.MaxDays)} reached without evidence that {challenger} beats {results.Control} on {settings.Metric} ({interval}): "
                + $"{Inconclusive}, {challenger} leaves and the control is kept")
            : null;
    }

    // The p99 guardrail's values are p99s but its interval is of a share of lists: the reason says which share.
    private static string Of(GuardrailResult g) => g.ThresholdMs is { } t ? $" in the share of lists slower than {F(t)} ms" : "";

    private static string F(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "n/a";
}
