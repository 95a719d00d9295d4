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

    /// <summary>Per-exposure guardrail samples (a served list is the unit).</summary>
    public static SampleSummary? Guardrail(string guardrail, VariantDayMetrics t) => guardrail switch
    {
        _ when t.Exposures < 2 => null,
        GuardrailMetrics.FallbackRate => SampleSummary.FromProportion(t.Exposures, t.FallbackExposures),
        GuardrailMetrics.Latency => SampleSummary.FromSums(t.Exposures, t.LatencyMsSum, t.LatencyMsSumOfSquares),
        _ => throw new ArgumentOutOfRangeException(nameof(guardrail), guardrail, "Unknown guardrail."),
    };
}
