using Pipeline.Domain.Experiments.Analysis;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Domain.Experiments.Results;

/// <summary>
/// Turns a variant's cumulative sums into the analysis library's inputs for one metric. The unit is the
/// exposed user: proportions are (users with ≥ 1 click or purchase) / users, means are totals / users.
/// </summary>
public static class MetricSamples
{
    public static SampleSummary? Summary(string metric, VariantDayMetrics totals)
    {
        var n = totals.ExposedUsers;
        return metric switch
        {
            _ when n < 2 => null,
            ExperimentMetrics.ClickThroughRate => SampleSummary.FromProportion(n, totals.Clickers),
            ExperimentMetrics.ConversionRate => SampleSummary.FromProportion(n, totals.Purchasers),
            ExperimentMetrics.RevenuePerUser => SampleSummary.FromSums(n, totals.Revenue, totals.RevenueSumOfSquares),
            ExperimentMetrics.ClicksPerUser => SampleSummary.FromSums(n, totals.Clicks, totals.ClicksSumOfSquares),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
        };
    }

    /// <summary>The metric with the pre-exposure activity as CUPED covariate (Σ Y² = Σ Y for 0/1 metrics).</summary>
    public static CovariateSummary Covariate(string metric, VariantDayMetrics t) => metric switch
    {
        ExperimentMetrics.ClickThroughRate => new(t.ExposedUsers, t.Clickers, t.Clickers, t.CovariateSum, t.CovariateSumOfSquares, t.ClickersCovariate),
        ExperimentMetrics.ConversionRate => new(t.ExposedUsers, t.Purchasers, t.Purchasers, t.CovariateSum, t.CovariateSumOfSquares, t.PurchasersCovariate),
        ExperimentMetrics.RevenuePerUser => new(t.ExposedUsers, t.Revenue, t.RevenueSumOfSquares, t.CovariateSum, t.CovariateSumOfSquares, t.RevenueCovariate),
        ExperimentMetrics.ClicksPerUser => new(t.ExposedUsers, t.Clicks, t.ClicksSumOfSquares, t.CovariateSum, t.CovariateSumOfSquares, t.ClicksCovariate),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };

    /// <summary>The metric's value per exposed user, or null without users.</summary>
    public static double? Value(string metric, VariantDayMetrics t)
    {
        if (t.ExposedUsers == 0)
        {
            return null;
        }
        double n = t.ExposedUsers;
        return metric switch
        {
            ExperimentMetrics.ClickThroughRate => t.Clickers / n,
            ExperimentMetrics.ConversionRate => t.Purchasers / n,
            ExperimentMetrics.RevenuePerUser => t.Revenue / n,
            ExperimentMetrics.ClicksPerUser => t.Clicks / n,
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
        };
    }

    /// <summary>Per-exposure guardrail samples (a served list is the unit) of one arm, for the guardrails measured per arm.</summary>
    public static SampleSummary? Guardrail(string guardrail, VariantDayMetrics t) => guardrail switch
    {
        GuardrailMetrics.LatencyP99 => throw new ArgumentException(
            $"{GuardrailMetrics.LatencyP99} compares both arms against a shared threshold: use the two-arm overload.", nameof(guardrail)),
        _ when t.Exposures < 2 => null,
        GuardrailMetrics.FallbackRate => SampleSummary.FromProportion(t.Exposures, t.FallbackExposures),
        GuardrailMetrics.Latency => SampleSummary.FromSums(t.Exposures, t.LatencyMsSum, t.LatencyMsSumOfSquares),
        _ => throw new ArgumentOutOfRangeException(nameof(guardrail), guardrail, "Unknown guardrail."),
    };

    /// <summary>
    /// Both arms' guardrail samples, each arm's value as reported, and the latency threshold the samples count lists above
    /// (only for <see cref="GuardrailMetrics.LatencyP99"/>, whose values are p99s and whose samples are exceedance shares).
    /// </summary>
    public static (SampleSummary? Control, SampleSummary? Treatment, double? ControlValue, double? TreatmentValue, double? ThresholdMs) Guardrail(
        string guardrail, VariantDayMetrics control, VariantDayMetrics treatment)
    {
        if (guardrail == GuardrailMetrics.LatencyP99)
        {
            var tail = LatencyTail.Compare(control.LatencyHistogram, treatment.LatencyHistogram);
            return (tail?.Control, tail?.Treatment, LatencyTail.P99Ms(control), LatencyTail.P99Ms(treatment), tail?.ThresholdMs);
        }
        var (a, b) = (Guardrail(guardrail, control), Guardrail(guardrail, treatment));
        return (a, b, a?.Mean, b?.Mean, null);
    }
}
