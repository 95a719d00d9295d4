using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Analysis;
using Pipeline.Domain.Experiments.Results;

namespace Pipeline.Domain.Tests.Experiments.Results;

public sealed class ExperimentAnalyzerTests
{
    private static readonly Experiment Experiment = new("exp", ExperimentStatus.Running,
        [new Variant("a", 0.5, "r"), new Variant("b", 0.5, "r")], Coverage: 1, Seed: "", CreatedAt: SimulatedUsers.Start);

    // Activity grows with pre-exposure activity (so CUPED has something to remove); b converts a little more.
    private static readonly List<SimulatedUser> Users = SimulatedUsers.Generate(seed: 11, users: 4000, days: 10, (variant, random) =>
    {
        var covariate = random.Next(0, 8);
        var clicks = random.NextDouble() < 0.2 + 0.05 * covariate ? 1 + random.Next(0, 1 + covariate / 2) : 0;
        var buys = random.NextDouble() < (variant == "b" ? 0.12 : 0.10) + 0.01 * covariate;
        double[] purchases = buys ? [Math.Round(5 + 20 * random.NextDouble() + covariate, 2), .. random.NextDouble() < 0.3 ? new[] { 7.5 } : []] : [];
        return (covariate, clicks, purchases);
    });

    private static readonly ExperimentResults Results = ExperimentAnalyzer.Analyze(Experiment, SimulatedUsers.Aggregate(Users));

    private static double[] PerUser(string variant, Func<SimulatedUser, double> metric) => Users.Where(u => u.Variant == variant).Select(metric).ToArray();

    // Two-pass mean and n − 1 variance straight from the per-user values.
    private static SampleSummary Direct(double[] values)
    {
        var mean = values.Average();
        return new SampleSummary(values.Length, mean, values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }

    public static TheoryData<string> Metrics => new(ExperimentMetrics.All);

    private static Func<SimulatedUser, double> Metric(string metric) => metric switch
    {
        ExperimentMetrics.ClickThroughRate => u => u.Clicks > 0 ? 1 : 0,
        ExperimentMetrics.ConversionRate => u => u.Purchases.Length > 0 ? 1 : 0,
        ExperimentMetrics.RevenuePerUser => u => u.Purchases.Sum(),
        _ => u => u.Clicks,
    };

    [Theory]
    [MemberData(nameof(Metrics))]
    public void Lifts_EqualADirectComputationFromThePerUserData(string metric)
    {
        var a = PerUser("a", Metric(metric));
        var b = PerUser("b", Metric(metric));
        // Proportions use the binomial variance p(1 − p), as the analysis library does.
        SampleSummary Summary(double[] v) => ExperimentMetrics.IsProportion(metric)
            ? SampleSummary.FromProportion(v.Length, (long)v.Sum())
            : Direct(v);
        var expectedAbsolute = WelchTest.Analyze(Summary(a), Summary(b), relative: false);
        var expectedRelative = WelchTest.Analyze(Summary(a), Summary(b), relative: true);

        var comparison = Assert.Single(Results.Metrics.Single(m => m.Metric == metric).Comparisons);

        Assert.Equal(a.Average(), comparison.ControlValue!.Value, 1e-12);
        Assert.Equal(b.Average(), comparison.TreatmentValue!.Value, 1e-12);
        Assert.Equal(expectedAbsolute.Estimate, comparison.Absolute!.Estimate, 1e-10);
        Assert.Equal(expectedAbsolute.StandardError, comparison.Absolute.StandardError, 1e-9);
        Assert.Equal(expectedAbsolute.PValue, comparison.Absolute.PValue, 1e-9);
        Assert.Equal(expectedRelative.Estimate, comparison.Relative!.Estimate, 1e-10);
        Assert.Equal(expectedRelative.CiLow, comparison.Relative.CiLow, 1e-9);
        Assert.Equal(expectedRelative.CiHigh, comparison.Relative.CiHigh, 1e-9);
    }

    [Theory]
    [MemberData(nameof(Metrics))]
    public void Cuped_EqualsWelchOnThePerUserAdjustedValues(string metric)
    {
        var users = Users.ToArray();
        var x = users.Select(u => (double)u.Covariate).ToArray();
        var y = users.Select(Metric(metric)).ToArray();
        // θ pooled within variants: Σ_arms Sxy / Σ_arms Sxx.
        double sxy = 0, sxx = 0;
        foreach (var arm in new[] { "a", "b" })
        {
            var idx = Enumerable.Range(0, users.Length).Where(i => users[i].Variant == arm).ToArray();
            var mx = idx.Average(i => x[i]);
            var my = idx.Average(i => y[i]);
            sxy += idx.Sum(i => (x[i] - mx) * (y[i] - my));
            sxx += idx.Sum(i => (x[i] - mx) * (x[i] - mx));
        }
        var theta = sxy / sxx;
        var meanX = x.Average();
        double[] Adjusted(string arm) => Enumerable.Range(0, users.Length).Where(i => users[i].Variant == arm).Select(i => y[i] - theta * (x[i] - meanX)).ToArray();
        var expected = WelchTest.Analyze(Direct(Adjusted("a")), Direct(Adjusted("b")), relative: true);

        var cuped = Assert.Single(Results.Metrics.Single(m => m.Metric == metric).Comparisons).Cuped!;

        Assert.Equal(theta, cuped.Theta, 1e-9);
        Assert.Equal(expected.Estimate, cuped.Relative.Estimate, 1e-9);
        Assert.Equal(expected.StandardError, cuped.Relative.StandardError, 1e-9);
        Assert.True(cuped.VarianceReduction > 0, $"the covariate predicts the metric, so CUPED should reduce variance: {cuped.VarianceReduction}");
    }

    [Fact]
    public void TotalsSrmAndAdjustedPValues_FollowFromTheUsers()
    {
        var counts = new long[] { Users.Count(u => u.Variant == "a"), Users.Count(u => u.Variant == "b") };
        var expectedSrm = SampleRatioMismatch.Test(counts, [0.5, 0.5]);
        var pValues = Results.Metrics.SelectMany(m => m.Comparisons).Select(c => c.Absolute!.PValue).ToArray();

        Assert.Equal(counts, Results.Variants.Select(v => v.Users));
        Assert.Equal(Users.Sum(u => u.Purchases.Sum()), Results.Variants.Sum(v => v.Revenue), 1e-6);
        Assert.Equal(expectedSrm.PValue, Results.Srm.PValue!.Value, 1e-12);
        Assert.False(Results.Srm.Mismatch);
        Assert.Equal(MultipleTesting.Holm(pValues), Results.Metrics.SelectMany(m => m.Comparisons).Select(c => c.HolmPValue!.Value));
        Assert.Equal(MultipleTesting.BenjaminiHochberg(pValues), Results.Metrics.SelectMany(m => m.Comparisons).Select(c => c.BenjaminiHochbergPValue!.Value));
    }

    [Fact]
    public void LastTimelinePoint_IsTheOverallResultAndEarlierPointsOnlyCountUsersWhoHadEntered()
    {
        var last = Results.Timeline[^1];
        var conversion = Results.Metrics.Single(m => m.Metric == ExperimentMetrics.ConversionRate).Comparisons[0];
        var first = Results.Timeline[0];

        Assert.Equal(10, Results.Timeline.Count);
        Assert.Equal(conversion.Relative!.Estimate, last.Lifts.Single(l => l.Metric == ExperimentMetrics.ConversionRate).Lift!.Value, 12);
        Assert.Equal(conversion.SequentialRelative!.CiLow, last.Lifts.Single(l => l.Metric == ExperimentMetrics.ConversionRate).SequentialLow!.Value, 12);
        Assert.Equal(Users.Count(u => u.Day == 0 && u.Variant == "a"), first.Users[0]);
    }

    [Fact]
    public void LopsidedSplit_IsFlaggedAsASampleRatioMismatch()
    {
        var skewed = Users.Where(u => u.Variant == "a").Concat(Users.Where(u => u.Variant == "b").Take(1500)).ToList();

        var results = ExperimentAnalyzer.Analyze(Experiment, SimulatedUsers.Aggregate(skewed));

        Assert.True(results.Srm.Mismatch);
        Assert.True(results.Srm.PValue < 0.001);
        Assert.NotNull(results.Srm.Note);
    }

    [Fact]
    public void Analyze_WithoutData_ComputesNothingAndNothingIsNaN()
    {
        var results = ExperimentAnalyzer.Analyze(Experiment, []);

        Assert.All(results.Metrics.SelectMany(m => m.Comparisons), c => Assert.Null(c.Absolute));
        Assert.Null(results.Srm.PValue);
        Assert.Empty(results.Timeline);
    }
}
