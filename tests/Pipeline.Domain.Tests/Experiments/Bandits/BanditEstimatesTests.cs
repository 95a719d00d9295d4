using Pipeline.Domain.Events;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Bandits;
using Pipeline.Domain.Experiments.Metrics;
using Pipeline.Domain.Experiments.Results;

namespace Pipeline.Domain.Tests.Experiments.Bandits;

public sealed class BanditEstimatesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day1 = DateOnly.FromDateTime(Start.UtcDateTime);

    /// <summary>
    /// Behaviour drifts: period 0's shoppers click far more than period 1's. In both periods the treatment beats the
    /// control by 5 points, but the bandit gave the treatment 90% of period 1's (worse) shoppers, so pooling each arm
    /// over its users sets the treatment's mostly-late users against the control's mostly-early ones.
    /// </summary>
    private static readonly VariantDayMetrics[] Drifting =
    [
        new("control", Day1) { ExposedUsers = 2000, Clickers = 1000 },                 // period 0, 50/50: 50%
        new("treatment", Day1) { ExposedUsers = 2000, Clickers = 1100 },               //                  55%
        new("control", Day1.AddDays(1)) { Period = 1, ExposedUsers = 400, Clickers = 80 },    // period 1, 10/90: 20%
        new("treatment", Day1.AddDays(1)) { Period = 1, ExposedUsers = 3600, Clickers = 900 }, //                  25%
    ];

    private static Experiment Bandit() => new Experiment("b", ExperimentStatus.Running,
        [new Variant("control", 0.1, "aws-popularity-count"), new Variant("treatment", 0.9, "aws-user-personalization")], 1, "", Start)
    {
        StartedAt = Start,
        PrimaryMetric = ExperimentMetrics.ClickThroughRate,
        Allocation = ExperimentAllocation.Bandit,
        Bandit = new BanditSettings(TimeSpan.FromHours(1), 0.05, TimeSpan.FromHours(2)),
        WeightHistory =
        [
            new BanditPeriod(0, Start, [0.5, 0.5], [BanditArmTotals.Zero, BanditArmTotals.Zero]),
            new BanditPeriod(1, Start.AddHours(2), [0.1, 0.9], [new BanditArmTotals(2000, 1000, 1000), new BanditArmTotals(2000, 1100, 1100)]),
        ],
    };

    [Fact]
    public void SimpsonsParadox_WhenThePooledLiftIsNegative_ThePeriodWeightedLiftIsPositive()
    {
        var byPeriod = BanditEstimates.ByPeriod(ExperimentMetrics.ClickThroughRate, ["control", "treatment"], 2, Drifting);
        var pooled = ExperimentAnalyzer.Totals(["control", "treatment"], Drifting, _ => true);
        var pooledLift = (double)pooled[1].Clickers / pooled[1].ExposedUsers - (double)pooled[0].Clickers / pooled[0].ExposedUsers;

        var weighted = BanditEstimates.WeightedLift(ExperimentMetrics.ClickThroughRate, byPeriod, 1)!.Value;
        var means = BanditEstimates.Weighted(ExperimentMetrics.ClickThroughRate, byPeriod);

        Assert.Equal(2000d / 5600 - 1080d / 2400, pooledLift, 9); // 35.7% against 45%: −9.3 points
        Assert.True(pooledLift < 0);
        // Both periods have 4,000 users: weights ½ and ½, and the lift is 5 points in each.
        Assert.Equal(0.05, weighted.Lift, 9);
        Assert.True(weighted.Lift - 1.96 * weighted.StandardError > 0);
        Assert.Equal(0.5 * 0.5 + 0.5 * 0.2, means[0]!.Value.Mean, 9);
        Assert.Equal(0.5 * 0.55 + 0.5 * 0.25, means[1]!.Value.Mean, 9);
        var expectedVariance = 0.25 * (0.5 * 0.5 / 2000 + 0.55 * 0.45 / 2000) + 0.25 * (0.2 * 0.8 / 400 + 0.25 * 0.75 / 3600);
        Assert.Equal(Math.Sqrt(expectedVariance), weighted.StandardError, 9);
    }

    [Fact]
    public void Analyze_WhenABanditsWeightsMovedBetweenPeriods_WeighsItsMetricsByPeriodLikeItsBanditSection()
    {
        var results = ExperimentAnalyzer.Analyze(Bandit(), Drifting);

        var treatment = results.Bandit!.Estimates[1];
        Assert.Equal(0.05, treatment.Lift!.Value, 9);
        Assert.Null(results.Bandit.Estimates[0].Lift);
        Assert.True(treatment.ChanceToBeBest > BanditAnalysis.WinnerThreshold);
        Assert.Equal("treatment", results.Bandit.Winner);
        // Each period's entrants are the users stamped with it, checked against its own weights: 2,000/2,000 and 400/3,600.
        Assert.Equal([2000L, 2000L], results.Bandit.Periods[0].Users);
        Assert.Equal([400L, 3600L], results.Bandit.Periods[1].Users);
        Assert.All(results.Bandit.Periods, p => Assert.False(p.SrmMismatch));

        // The metrics section answers the same period-weighted comparison: CTR 35% (½·50% + ½·20%) against 40% (½·55% + ½·25%),
        // +5 points (+14.3%), where pooling each arm over its own users would answer 45% against 35.7%, −9.3 points.
        var ctr = results.Metrics.Single(m => m.Metric == ExperimentMetrics.ClickThroughRate).Comparisons.Single();
        var pooled = ExperimentAnalyzer.Totals(["control", "treatment"], Drifting, _ => true);
        var pooledLift = (double)pooled[1].Clickers / pooled[1].ExposedUsers - (double)pooled[0].Clickers / pooled[0].ExposedUsers;
        Assert.True(pooledLift < 0);
        Assert.Equal(0.35, ctr.ControlValue!.Value, 9);
        Assert.Equal(0.40, ctr.TreatmentValue!.Value, 9);
        Assert.Equal(0.05, ctr.Absolute!.Estimate, 9);
        Assert.Equal(treatment.LiftStandardError!.Value, ctr.Absolute.StandardError, 9);
        Assert.True(ctr.Absolute.CiLow > 0);
        Assert.Equal(0.40 / 0.35 - 1, ctr.Relative!.Estimate, 9);
        Assert.True(ctr.SequentialRelative!.CiLow > 0);
        Assert.True(ctr.ChanceToWin > 0.99);
        Assert.Null(ctr.Cuped);
        // The timeline's last day is the same cumulative comparison.
        var last = results.Timeline[^1].Lifts.Single(l => l.Metric == ExperimentMetrics.ClickThroughRate);
        Assert.Equal(ctr.Relative.Estimate, last.Lift!.Value, 9);
        // And the results say which sections are period-weighted and which stay pooled.
        Assert.Equal(ExperimentAnalyzer.PeriodWeightedEstimates, results.Settings.Estimates);
        Assert.Equal([2400L, 5600L], results.Variants.Select(v => v.Users));
        Assert.Equal(1080d / 2400, results.Variants[0].Ctr!.Value, 9);
    }

    [Fact]
    public void Analyze_WhenABanditHasASinglePeriod_ItsMetricsEqualTheFixedSplitsPooledOnes()
    {
        VariantDayMetrics[] daily = [Drifting[0], Drifting[1]];
        var fixedSplit = Bandit() with { Allocation = ExperimentAllocation.Fixed, Bandit = null, WeightHistory = [] };
        var bandit = Bandit() with { WeightHistory = [Bandit().WeightHistory[0]] };

        var pooled = ExperimentAnalyzer.Analyze(fixedSplit, daily).Metrics.Single(m => m.Metric == ExperimentMetrics.ClickThroughRate).Comparisons.Single();
        var weighted = ExperimentAnalyzer.Analyze(bandit, daily).Metrics.Single(m => m.Metric == ExperimentMetrics.ClickThroughRate).Comparisons.Single();

        Assert.Equal(pooled.Absolute, weighted.Absolute);
        Assert.Equal(pooled.Relative, weighted.Relative);
        Assert.Equal(pooled.SequentialRelative, weighted.SequentialRelative);
        Assert.Equal(ExperimentAnalyzer.PooledEstimates, ExperimentAnalyzer.Analyze(fixedSplit, daily).Settings.Estimates);
    }

    [Fact]
    public void Analyze_WhenAPeriodHasUnderTwoUsersInAnArm_CountsItAsSkippedAndLeavesItOutOfTheMetrics()
    {
        // Period 2: the control got 1 user (and their click), the treatment 50 users who all clicked.
        VariantDayMetrics[] daily =
        [
            .. Drifting,
            new("control", Day1.AddDays(2)) { Period = 2, ExposedUsers = 1, Clickers = 1 },
            new("treatment", Day1.AddDays(2)) { Period = 2, ExposedUsers = 50, Clickers = 50 },
        ];
        var experiment = Bandit() with
        {
            WeightHistory = [.. Bandit().WeightHistory, new BanditPeriod(2, Start.AddHours(3), [0.05, 0.95], [BanditArmTotals.Zero, BanditArmTotals.Zero])],
        };

        var results = ExperimentAnalyzer.Analyze(experiment, daily);
        var without = ExperimentAnalyzer.Analyze(Bandit(), Drifting);

        Assert.Equal(1, results.Bandit!.SkippedPeriods);
        Assert.Equal(51, results.Bandit.SkippedUsers);
        Assert.Equal([true, true, false], results.Bandit.Periods.Select(p => p.InEstimates));
        Assert.Equal([1L, 50L], results.Bandit.Periods[2].Users);
        // The metrics and the bandit's estimates are those of periods 0 and 1 alone; the variants' totals still count everyone.
        var ctr = results.Metrics.Single(m => m.Metric == ExperimentMetrics.ClickThroughRate).Comparisons.Single();
        Assert.Equal(0.05, ctr.Absolute!.Estimate, 9);
        Assert.Equal(without.Metrics.Single(m => m.Metric == ExperimentMetrics.ClickThroughRate).Comparisons.Single(), ctr);
        // (The chance to be best is a Monte-Carlo draw seeded by the number of periods, so only the estimates are compared.)
        Assert.Equal(without.Bandit!.Estimates.Select(e => (e.Mean, e.StandardError, e.Lift, e.LiftStandardError)),
            results.Bandit.Estimates.Select(e => (e.Mean, e.StandardError, e.Lift, e.LiftStandardError)));
        Assert.Equal([2401L, 5650L], results.Variants.Select(v => v.Users));
        Assert.Equal(0, without.Bandit.SkippedPeriods);
        Assert.Equal(0, without.Bandit.SkippedUsers);
    }

    [Fact]
    public void NextUpdate_AllocatesOnTheWeightedEstimatesNotThePooledOnes()
    {
        var due = Bandit() with { WeightHistory = [Bandit().WeightHistory[0]] };
        var pooled = ExperimentAnalyzer.Totals(["control", "treatment"], Drifting, _ => true);

        var updated = BanditAllocator.Update(due, Drifting, Start.AddHours(3))!;

        // The pooled totals (one row per arm, all in period 0) would send the traffic to the control.
        Assert.Equal([0.95, 0.05], BanditAllocator.Update(due, pooled, Start.AddHours(3))!.Variants.Select(v => v.Weight));
        Assert.Equal([0.05, 0.95], updated.Variants.Select(v => v.Weight));
    }

    [Fact]
    public void Period_WhereAnArmHasUnderTwoUsers_IsLeftOutOfEveryArmsEstimate()
    {
        VariantDayMetrics[] daily =
        [
            new("control", Day1) { ExposedUsers = 100, Clickers = 10 },
            new("treatment", Day1) { ExposedUsers = 400, Clickers = 80 },
            new("control", Day1) { Period = 1, ExposedUsers = 1, Clickers = 1 },
            new("treatment", Day1) { Period = 1, ExposedUsers = 50, Clickers = 50 },
        ];

        var means = BanditEstimates.Weighted(ExperimentMetrics.ClickThroughRate,
            BanditEstimates.ByPeriod(ExperimentMetrics.ClickThroughRate, ["control", "treatment"], 2, daily));

        Assert.Equal([0.1, 0.2], means.Select(m => Math.Round(m!.Value.Mean, 9)));
        Assert.All(BanditEstimates.Weighted(ExperimentMetrics.ClickThroughRate, [[new BanditArmTotals(1, 0, 0), new BanditArmTotals(5, 1, 1)]]), Assert.Null);
    }

    [Fact]
    public void User_IsStampedWithThePeriodOfTheirFirstExposureAndTheirLaterRowsKeepIt()
    {
        var exposure = new Exposure("r1", "b", "treatment", "u1", "aws-user-personalization", "primary", ["i1"], Start);
        var entered = ExperimentUserMetrics.OnExposure(null, 0, exposure, covariate: 0, latencyMs: 5, period: 3)!;
        var later = ExperimentUserMetrics.OnExposure(entered.State, 0, exposure with { RecommendationId = "r2" }, 0, 5, period: 4)!;
        var click = ExperimentUserMetrics.OnEvent(entered.State, exposure,
            new InteractionEvent("e1", "u1", "i1", EventTypes.Click, null, "s1", "r1", Start.AddDays(1)))!;

        Assert.Equal((3, 3), (entered.State.Period, entered.Delta.Period));
        Assert.Equal(3, later.Delta.Period);
        Assert.Equal((3, 1L), (click.Delta.Period, click.Delta.Clickers));
    }
}
