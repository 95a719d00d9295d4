using Pipeline.Domain.Experiments.Analysis;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Domain.Experiments.Results;

/// <summary>
/// The tail-latency guardrail (<see cref="GuardrailMetrics.LatencyP99"/>). Each arm's value is its p99, read off its
/// histogram. The harm test is on a proportion, so it gets the same Welch and always-valid intervals as the fallback rate
/// and the online gate's rule applies unchanged: the share of each arm's lists slower than a threshold both arms share,
/// the lower bound of the bucket that holds the p99 of the two arms' lists pooled (so at least 1% of the pooled lists are
/// above it). A difference of p99s has no variance that summed counters give; a difference of shares is a difference of
/// binomial proportions.
/// <para>Why pooled: with no harm every list of either arm comes from one distribution, so a threshold computed from all
/// of them alike favours neither arm and the difference has mean 0 by symmetry. The control's own p99 is a cut fitted to
/// the control's sample (at most 1% of its lists above) and not to the treatment's; in the A/A test that bias was small,
/// but the symmetric threshold needs no such measurement.</para>
/// <para>Why the bucket's lower bound: a slower tail often piles up in one bucket (a timeout). That bucket then holds the
/// pooled p99, and counting only the lists above it would count none of them.</para>
/// </summary>
public static class LatencyTail
{
    public const double Quantile = 0.99;

    /// <summary>Both arms' exceedance samples and the shared threshold, or null while an arm has fewer than 2 lists counted.</summary>
    public sealed record Exceedance(SampleSummary Control, SampleSummary Treatment, double ThresholdMs);

    /// <summary>The arm's p99 in ms (its bucket's upper bound), or null while its histogram is empty.</summary>
    public static double? P99Ms(VariantDayMetrics arm) => arm.LatencyHistogram.QuantileMs(Quantile);

    /// <summary>
    /// Each arm's share of lists slower than the lower bound of the pooled p99's bucket (in that bucket or above). The units are the lists in the
    /// histograms, not <see cref="VariantDayMetrics.Exposures"/>: rows written before histograms were kept count
    /// exposures without latencies.
    /// </summary>
    public static Exceedance? Compare(LatencyHistogram control, LatencyHistogram treatment)
    {
        var (nA, nB) = (control.Total, treatment.Total);
        if (nA < 2 || nB < 2)
        {
            return null;
        }
        var bucket = ThresholdBucket(control.Add(treatment))!.Value;
        return new Exceedance(Above(control, bucket), Above(treatment, bucket), LatencyHistogram.LowerBoundMs(bucket));
    }

    /// <summary>The bucket whose lower bound is the threshold: the one holding the p99 of <paramref name="pooled"/>, the two arms' lists together.</summary>
    public static int? ThresholdBucket(LatencyHistogram pooled) => pooled.QuantileBucket(Quantile);

    /// <summary>The arm's lists as a proportion: those in <paramref name="bucket"/> or above, over all of them.</summary>
    public static SampleSummary Above(LatencyHistogram arm, int bucket) => SampleSummary.FromProportion(arm.Total, arm.CountAbove(bucket - 1));
}
