using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Bandits;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Domain.Tests.Experiments.Bandits;

public sealed class BanditAllocatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static Experiment Bandit() => new Experiment("b", ExperimentStatus.Running,
        [new Variant("control", 0.5, "aws-popularity-count"), new Variant("treatment", 0.5, "aws-user-personalization")], 1, "", Start)
    {
        StartedAt = Start,
        PrimaryMetric = ExperimentMetrics.ClickThroughRate,
        Allocation = ExperimentAllocation.Bandit,
        Bandit = new BanditSettings(TimeSpan.FromHours(1), 0.05, TimeSpan.FromHours(2)),
    };

    private static VariantDayMetrics[] Totals(long controlUsers, long controlClickers, long treatmentUsers, long treatmentClickers) =>
    [
        new("control", DateOnly.FromDateTime(Start.UtcDateTime)) { ExposedUsers = controlUsers, Clickers = controlClickers },
        new("treatment", DateOnly.FromDateTime(Start.UtcDateTime)) { ExposedUsers = treatmentUsers, Clickers = treatmentClickers },
    ];

    [Fact]
    public void Update_DuringTheBurnIn_ChangesNothing()
    {
        Assert.Null(BanditAllocator.Update(Bandit(), Totals(500, 100, 500, 200), Start.AddHours(1.5)));
    }

    [Fact]
    public void Update_AfterTheBurnIn_MovesTrafficToTheBetterArm_AndStartsAPeriodFromTheTotals()
    {
        var updated = BanditAllocator.Update(Bandit(), Totals(500, 100, 500, 200), Start.AddHours(2));

        Assert.NotNull(updated);
        Assert.Equal([0.05, 0.95], updated.Variants.Select(v => v.Weight));
        Assert.Equal(2, updated.WeightHistory.Count);
        Assert.Equal([0.5, 0.5], updated.WeightHistory[0].Weights);
        Assert.Equal(new BanditArmTotals(500, 200, 200), updated.WeightHistory[1].TotalsAtStart[1]);
        Assert.Equal(Start.AddHours(2), updated.WeightsChangedAt);
        // The next period has not lasted its hour yet.
        Assert.Null(BanditAllocator.Update(updated, Totals(510, 102, 700, 280), Start.AddHours(2.5)));
    }

    [Fact]
    public void Update_OfAFixedExperiment_ChangesNothing()
    {
        Assert.Null(BanditAllocator.Update(Bandit() with { Allocation = ExperimentAllocation.Fixed }, Totals(500, 100, 500, 200), Start.AddDays(1)));
    }

    [Fact]
    public void ByPeriod_CountsTheUsersStampedWithEachPeriod_WhateverTheDayOfTheirOutcomes()
    {
        var day1 = DateOnly.FromDateTime(Start.UtcDateTime);
        VariantDayMetrics[] daily =
        [
            new("control", day1) { ExposedUsers = 100, Clickers = 10 },
            new("treatment", day1) { ExposedUsers = 104, Clickers = 30 },
            new("control", day1) { Period = 1, ExposedUsers = 20, Clickers = 6 },
            new("treatment", day1) { Period = 1, ExposedUsers = 180, Clickers = 54 },
            // A later day's clicks of period 0's users stay in period 0.
            new("control", day1.AddDays(1)) { Clickers = 5 },
        ];

        var byPeriod = BanditEstimates.ByPeriod(ExperimentMetrics.ClickThroughRate, ["control", "treatment"], 2, daily);

        Assert.Equal([100L, 104L], byPeriod[0].Select(d => d.Users));
        Assert.Equal([15d, 30d], byPeriod[0].Select(d => d.Sum));
        Assert.Equal([20L, 180L], byPeriod[1].Select(d => d.Users));
    }

    [Fact]
    public void Estimate_IsEachArmsMeanOverItsUsers_WithTheStandardErrorOfAProportion()
    {
        var estimates = BanditEstimates.Estimate(ExperimentMetrics.ClickThroughRate, [new BanditArmTotals(400, 100, 100), new BanditArmTotals(1, 1, 1)]);

        Assert.Equal(0.25, estimates[0]!.Value.Mean, 9);
        Assert.Equal(Math.Sqrt(0.25 * 0.75 / 400), estimates[0]!.Value.StandardError, 9);
        Assert.Null(estimates[1]);
    }
}
