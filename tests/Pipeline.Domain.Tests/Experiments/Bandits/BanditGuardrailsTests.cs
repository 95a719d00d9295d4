using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Bandits;
using Pipeline.Domain.Experiments.Metrics;
using Pipeline.Domain.Experiments.Results;

namespace Pipeline.Domain.Tests.Experiments.Bandits;

/// <summary>
/// A bandit moved its weights from 50/50 (period 0) to 10/90 (period 1) while serving got worse for everyone in period 1:
/// pooled over the periods, the treatment's lists are mostly period 1's and look harmed; within each period they are not.
/// </summary>
public sealed class BanditGuardrailsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day1 = DateOnly.FromDateTime(Start.UtcDateTime);
    private static readonly string[] Keys = ["control", "treatment"];

    private static Experiment Bandit(params string[] guardrails) => new Experiment("b", ExperimentStatus.Running,
        [new Variant("control", 0.1, "aws-popularity-count"), new Variant("treatment", 0.9, "aws-user-personalization")], 1, "", Start)
    {
        StartedAt = Start,
        Allocation = ExperimentAllocation.Bandit,
        Bandit = new BanditSettings(TimeSpan.FromHours(1), 0.05, TimeSpan.FromHours(2)),
        Guardrails = guardrails,
        WeightHistory =
        [
            new BanditPeriod(0, Start, [0.5, 0.5], [BanditArmTotals.Zero, BanditArmTotals.Zero]),
            new BanditPeriod(1, Start.AddHours(2), [0.1, 0.9], [BanditArmTotals.Zero, BanditArmTotals.Zero]),
        ],
    };

    /// <summary>One list per user; <paramref name="fallbacks"/> of them answered by the fallback chain.</summary>
    private static VariantDayMetrics Row(string variant, int period, long users, long fallbacks, LatencyHistogram? latency = null) =>
        new(variant, Day1.AddDays(period))
        {
            Period = period, ExposedUsers = users, Exposures = users, FallbackExposures = fallbacks,
            LatencyHistogram = latency ?? LatencyHistogram.Empty,
        };

    private static LatencyHistogram Lists(params (double Ms, long Count)[] lists)
    {
        var counts = new long[LatencyHistogram.BucketCount];
        foreach (var (ms, count) in lists) counts[LatencyHistogram.BucketOf(ms)] += count;
        return LatencyHistogram.FromCounts(counts);
    }

    private static GuardrailResult Pooled(string guardrail, VariantDayMetrics[] daily)
    {
        var totals = ExperimentAnalyzer.Totals(Keys, daily, _ => true);
        return ExperimentAnalyzer.Guardrail(guardrail, totals[0], totals[1]);
    }

    [Fact]
    public void FallbackRate_WhenItDriftsBetweenPeriodsAlike_IsNoHarm_WhereThePooledRatesWouldShowHarm()
    {
        VariantDayMetrics[] daily =
        [
            Row("control", 0, 2000, 200), Row("treatment", 0, 2000, 200),   // period 0: 10% in both arms
            Row("control", 1, 400, 160), Row("treatment", 1, 3600, 1440),   // period 1: 40% in both arms
        ];

        var guardrail = Assert.Single(ExperimentAnalyzer.Analyze(Bandit(GuardrailMetrics.FallbackRate), daily).Guardrails);

        // Both periods have 4,000 users: weights ½ and ½, so each arm's rate is ½·10% + ½·40%.
        Assert.Equal(0.25, guardrail.ControlValue!.Value, 9);
        Assert.Equal(0.25, guardrail.TreatmentValue!.Value, 9);
        Assert.Equal(0, guardrail.Absolute!.Estimate, 9);
        Assert.False(guardrail.Harm);
        Assert.False(guardrail.SequentialHarm);
        // Pooled, 15% against 29.3%: the drift reads as harm.
        var pooled = Pooled(GuardrailMetrics.FallbackRate, daily);
        Assert.Equal(360d / 2400, pooled.ControlValue!.Value, 9);
        Assert.Equal(1640d / 5600, pooled.TreatmentValue!.Value, 9);
        Assert.True(pooled.SequentialHarm);
    }

    [Fact]
    public void FallbackRate_WhenTheTreatmentIsWorseInEveryPeriod_IsHarm_WithThePeriodWeightedDifference()
    {
        VariantDayMetrics[] daily =
        [
            Row("control", 0, 2000, 200), Row("treatment", 0, 2000, 400),   // 10% against 20%
            Row("control", 1, 400, 160), Row("treatment", 1, 3600, 1800),   // 40% against 50%
        ];

        var guardrail = Assert.Single(ExperimentAnalyzer.Analyze(Bandit(GuardrailMetrics.FallbackRate), daily).Guardrails);

        Assert.Equal(0.1, guardrail.Absolute!.Estimate, 9);
        var expectedVariance = 0.25 * (0.1 * 0.9 / 2000 + 0.2 * 0.8 / 2000) + 0.25 * (0.4 * 0.6 / 400 + 0.5 * 0.5 / 3600);
        Assert.Equal(Math.Sqrt(expectedVariance), guardrail.Absolute.StandardError, 9);
        Assert.True(guardrail.Harm);
        Assert.True(guardrail.SequentialHarm);
    }

    [Fact]
    public void Guardrails_WhenABanditHasASinglePeriod_EqualTheFixedSplitsPooledOnes()
    {
        VariantDayMetrics[] daily = [Row("control", 0, 2000, 200), Row("treatment", 0, 2000, 260)];
        var bandit = Bandit(GuardrailMetrics.FallbackRate) with { WeightHistory = [Bandit().WeightHistory[0]] };
        var fixedSplit = bandit with { Allocation = ExperimentAllocation.Fixed, Bandit = null, WeightHistory = [] };

        Assert.Equal(ExperimentAnalyzer.Analyze(fixedSplit, daily).Guardrails, ExperimentAnalyzer.Analyze(bandit, daily).Guardrails);
    }

    [Fact]
    public void Guardrails_WhenNoPeriodHasTwoUsersInEveryArmYet_HaveNoEstimate()
    {
        VariantDayMetrics[] daily = [Row("control", 0, 1, 0), Row("treatment", 0, 5, 1)];

        var guardrails = ExperimentAnalyzer.Analyze(Bandit(GuardrailMetrics.FallbackRate, GuardrailMetrics.LatencyP99), daily).Guardrails;

        Assert.All(guardrails, g => Assert.Equal((null, null, false), (g.Absolute, g.Sequential, g.SequentialHarm)));
    }

    [Fact]
    public void LatencyP99_WhenServingSlowsForEveryoneInALaterPeriod_IsNoHarm_WhereThePooledTailWouldShowHarm()
    {
        // Period 0: lists at 10 ms (1% at 50 ms); period 1: 95% at 100 ms, 5% at 10 ms; the same in both arms.
        LatencyHistogram Early(long n) => Lists((10, n - n / 100), (50, n / 100));
        LatencyHistogram Late(long n) => Lists((100, n - n / 20), (10, n / 20));
        VariantDayMetrics[] daily =
        [
            Row("control", 0, 2000, 0, Early(2000)), Row("treatment", 0, 2000, 0, Early(2000)),
            Row("control", 1, 400, 0, Late(400)), Row("treatment", 1, 3600, 0, Late(3600)),
        ];

        var guardrail = Assert.Single(ExperimentAnalyzer.Analyze(Bandit(GuardrailMetrics.LatencyP99), daily).Guardrails);

        // One threshold for both periods: the lower bound of the bucket holding the p99 of every list (a 100 ms one).
        Assert.Equal(LatencyHistogram.LowerBoundMs(LatencyHistogram.BucketOf(100)), guardrail.ThresholdMs);
        Assert.Equal(0, guardrail.Absolute!.Estimate, 9);
        Assert.False(guardrail.SequentialHarm);
        // Each arm's value is the p99 of its own lists: 100 ms's bucket for both.
        Assert.Equal(guardrail.ControlValue, guardrail.TreatmentValue);
        var pooled = Pooled(GuardrailMetrics.LatencyP99, daily);
        Assert.True(pooled.SequentialHarm);
    }
}
