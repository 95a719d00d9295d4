using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;
using Pipeline.Domain.Experiments.Results;
using Xunit.Abstractions;

namespace Pipeline.Domain.Tests.Experiments.Results;

/// <summary>
/// The p99 latency guardrail on seeded latencies: log-normal lists (median 80 ms, σ 0.5, so a p99 near 256 ms), and a
/// treatment whose tail is 3× slower (its lists above the distribution's p95, 182 ms, take 3× as long).
/// </summary>
public sealed class LatencyTailTests(ITestOutputHelper output)
{
    private const double MedianMs = 80;
    private const double Sigma = 0.5;
    private static readonly double P95Ms = MedianMs * Math.Exp(Sigma * 1.6448536);
    private static readonly DateOnly Day = new(2026, 12, 1);

    private static readonly Experiment TwoArms = new("exp", ExperimentStatus.Running,
        [new Variant("a", 0.5, "r"), new Variant("b", 0.5, "r")], Coverage: 1, Seed: "", CreatedAt: DateTimeOffset.UnixEpoch);

    [Fact]
    public void Guardrail_WhenBothArmsHaveTheSameLatencyDistribution_ShowsNoHarmAndP99sWithinABucket()
    {
        var random = new Random(17);
        var control = Arm("a", Latencies(random, 20_000, slowTail: false));
        var treatment = Arm("b", Latencies(random, 20_000, slowTail: false));

        var g = ExperimentAnalyzer.Guardrail(GuardrailMetrics.LatencyP99, control, treatment);

        Assert.False(g.Harm);
        Assert.False(g.SequentialHarm);
        Assert.NotNull(g.Sequential);
        Assert.InRange(g.TreatmentValue!.Value / g.ControlValue!.Value, 1 / 1.25 - 1e-9, 1.25 + 1e-9);
        Assert.InRange(g.ControlValue.Value, 256 / 1.25, 256 * 1.25);
    }

    /// <summary>
    /// Many A/A comparisons at one look: the fixed-horizon interval's lower end lies above 0 in about α/2 of them, as for any
    /// unbiased difference. The threshold is the pooled p99's, so it favours neither arm. Printed beside it for comparison:
    /// the same count for the lists slower than the control's own p99 (its bucket's upper bound). The log-normal's p99
    /// (255.8 ms) lies just above a bound (252.4 ms), where a cut fitted to the control's sample would be biased most.
    /// </summary>
    [Fact]
    public void Guardrail_OverManyComparisonsWithoutHarm_FlagsFixedHorizonHarmInAboutHalfOfAlpha()
    {
        const int comparisons = 400;
        var random = new Random(20261206);
        int flagged = 0, flaggedWithControlsP99 = 0;
        for (var i = 0; i < comparisons; i++)
        {
            var control = Arm("a", Latencies(random, 5_000, slowTail: false));
            var treatment = Arm("b", Latencies(random, 5_000, slowTail: false));
            flagged += ExperimentAnalyzer.Guardrail(GuardrailMetrics.LatencyP99, control, treatment).Harm ? 1 : 0;
            flaggedWithControlsP99 += HarmAboveControlsP99(control.LatencyHistogram, treatment.LatencyHistogram) ? 1 : 0;
        }
        output.WriteLine($"{comparisons} A/A comparisons of 5,000 lists per arm: fixed-horizon harm on the pooled-p99 share {flagged} " +
            $"({flagged / (double)comparisons:P1}); with the control's own p99 as the threshold {flaggedWithControlsP99} ({flaggedWithControlsP99 / (double)comparisons:P1})");

        // α/2 = 2.5% expected; 3 Monte-Carlo standard errors above it: √(0.025 · 0.975 / 400) ≈ 0.8 points.
        Assert.InRange(flagged, 0, (int)(comparisons * (0.025 + 3 * 0.0078)));
    }

    [Fact]
    public void Analyze_WhenTheTreatmentsTailIs3xSlower_FlagsSequentialHarmOnceThereAreEnoughLists()
    {
        var random = new Random(3);
        var few = ExperimentAnalyzer.Analyze(TwoArms,
            [Arm("a", Latencies(random, 100, slowTail: false)), Arm("b", Latencies(random, 100, slowTail: true))]);
        var many = ExperimentAnalyzer.Analyze(TwoArms,
            [Arm("a", Latencies(random, 20_000, slowTail: false)), Arm("b", Latencies(random, 20_000, slowTail: true))]);

        var early = few.Guardrails.Single(r => r.Metric == GuardrailMetrics.LatencyP99);
        Assert.False(early.SequentialHarm);
        var g = many.Guardrails.Single(r => r.Metric == GuardrailMetrics.LatencyP99);
        output.WriteLine($"p99 {g.ControlValue} vs {g.TreatmentValue} ms; lists slower than {g.ThresholdMs} ms: " +
            $"difference {g.Absolute!.Estimate:0.0000} [{g.Sequential!.CiLow:0.0000}, {g.Sequential.CiHigh:0.0000}] (sequential)");
        Assert.True(g.SequentialHarm);
        Assert.True(g.Harm);
        Assert.InRange(g.TreatmentValue!.Value / g.ControlValue!.Value, 3 / 1.25, 3 * 1.25);
        Assert.Equal(many.Guardrails.Count, GuardrailMetrics.All.Count); // all guardrails of the default experiment, this one among them
    }

    /// <summary>
    /// A slower tail piled up in one bucket (lists that wait for a timeout): the pooled p99 falls in that bucket, and the
    /// share counts the bucket itself, so the harm shows.
    /// </summary>
    [Fact]
    public void Guardrail_WhenTheSlowerTailPilesUpInOneBucket_CountsThatBucketAndFlagsHarm()
    {
        var control = Arm("a", [.. Enumerable.Repeat(10.0, 990), .. Enumerable.Repeat(100.0, 10)]);
        var treatment = Arm("b", [.. Enumerable.Repeat(10.0, 950), .. Enumerable.Repeat(1000.0, 50)]);

        var g = ExperimentAnalyzer.Guardrail(GuardrailMetrics.LatencyP99, control, treatment);

        Assert.Equal(LatencyHistogram.LowerBoundMs(LatencyHistogram.BucketOf(1000)), g.ThresholdMs);
        // 990 of the control's 1,000 lists at 10 ms: its p99 (the 990th) is in the 10 ms bucket.
        Assert.Equal((LatencyHistogram.UpperBoundMs(LatencyHistogram.BucketOf(10)), LatencyHistogram.UpperBoundMs(LatencyHistogram.BucketOf(1000))),
            (g.ControlValue, g.TreatmentValue));
        Assert.Equal(0.05, g.Absolute!.Estimate, 1e-12); // 50 of 1,000 against none
        Assert.True(g.SequentialHarm);
    }

    [Fact]
    public void Guardrail_WhenAnArmHasFewerThanTwoListsInItsHistogram_IsNotEnoughDataLikeTheOtherGuardrails()
    {
        var control = Arm("a", [10, 20, 30]);
        var one = Arm("b", [25]);
        // Rows written before histograms were kept: exposures without latencies counted.
        var legacy = new VariantDayMetrics("b", Day) { Exposures = 500, LatencyMsSum = 5000, LatencyMsSumOfSquares = 60_000 };

        foreach (var treatment in new[] { one, legacy })
        {
            var g = ExperimentAnalyzer.Guardrail(GuardrailMetrics.LatencyP99, control, treatment);
            Assert.Equal((null, null, false, false, null), (g.Absolute, g.Sequential, g.Harm, g.SequentialHarm, g.ThresholdMs));
            Assert.Equal(LatencyHistogram.UpperBoundMs(LatencyHistogram.BucketOf(30)), g.ControlValue);
        }
        Assert.Null(ExperimentAnalyzer.Guardrail(GuardrailMetrics.LatencyP99, control, legacy).TreatmentValue);
        Assert.Null(ExperimentAnalyzer.Guardrail(GuardrailMetrics.FallbackRate, control, one).Sequential); // the same rule: 2 lists
    }

    private static VariantDayMetrics Arm(string variant, IEnumerable<double> latencies)
    {
        var counts = new long[LatencyHistogram.BucketCount];
        long n = 0;
        double sum = 0, squares = 0;
        foreach (var x in latencies)
        {
            counts[LatencyHistogram.BucketOf(x)]++;
            n++;
            sum += x;
            squares += x * x;
        }
        return new VariantDayMetrics(variant, Day)
        {
            Exposures = n, ExposedUsers = n, LatencyMsSum = sum, LatencyMsSumOfSquares = squares, LatencyHistogram = LatencyHistogram.FromCounts(counts),
        };
    }

    internal static IEnumerable<double> Latencies(Random random, int lists, bool slowTail)
    {
        for (var i = 0; i < lists; i++)
        {
            var x = MedianMs * Math.Exp(Sigma * Normal(random));
            yield return slowTail && x > P95Ms ? 3 * x : x;
        }
    }

    // The alternative design, for comparison only: the share of lists above the control's own p99 bucket.
    private static bool HarmAboveControlsP99(LatencyHistogram control, LatencyHistogram treatment)
    {
        var bucket = control.QuantileBucket(LatencyTail.Quantile)!.Value;
        var a = Pipeline.Domain.Experiments.Analysis.SampleSummary.FromProportion(control.Total, control.CountAbove(bucket));
        var b = Pipeline.Domain.Experiments.Analysis.SampleSummary.FromProportion(treatment.Total, treatment.CountAbove(bucket));
        return Pipeline.Domain.Experiments.Analysis.WelchTest.Analyze(a, b, relative: false).CiLow > 0;
    }

    // Box–Muller: a standard normal from two uniforms.
    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
