using Pipeline.Domain.Experiments.Analysis;

namespace Pipeline.Domain.Tests.Experiments.Analysis;

public sealed class CupedTests
{
    private sealed record Unit(double Pre, double Post);

    private static List<Unit> Units(int seed, int count, double effect)
    {
        var random = new Random(seed);
        var units = new List<Unit>(count);
        for (var i = 0; i < count; i++)
        {
            var pre = 10 + 3 * Normal(random);
            units.Add(new Unit(pre, 2 * pre + Normal(random) + effect));
        }
        return units;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static CovariateSummary Summarize(IReadOnlyList<Unit> units) => new(
        units.Count, units.Sum(u => u.Post), units.Sum(u => u.Post * u.Post),
        units.Sum(u => u.Pre), units.Sum(u => u.Pre * u.Pre), units.Sum(u => u.Pre * u.Post));

    [Fact]
    public void Theta_IsTheRegressionSlopeOfTheMetricOnTheCovariate()
    {
        var theta = Cuped.Theta(Summarize(Units(1, 4000, 0)), Summarize(Units(2, 4000, 0.5)));

        Assert.Equal(2.0, theta, 0.05);
    }

    [Fact]
    public void Result_EqualsWelchOnTheUnitLevelAdjustedMetric()
    {
        var control = Units(3, 3000, 0);
        var treatment = Units(4, 2500, 0.3);
        var cuped = Cuped.Analyze(Summarize(control), Summarize(treatment), relative: true);

        var overallPre = control.Concat(treatment).Average(u => u.Pre);
        SampleSummary Adjusted(List<Unit> units)
        {
            var values = units.Select(u => u.Post - cuped.Theta * (u.Pre - overallPre)).ToArray();
            return SampleSummary.FromSums(values.Length, values.Sum(), values.Sum(v => v * v));
        }
        var direct = WelchTest.Analyze(Adjusted(control), Adjusted(treatment), relative: true);

        Assert.Equal(direct.Estimate, cuped.Effect.Estimate, 9);
        Assert.Equal(direct.StandardError, cuped.Effect.StandardError, 9);
        Assert.Equal(direct.PValue, cuped.Effect.PValue, 9);
    }

    [Fact]
    public void StronglyCorrelatedCovariate_RemovesMostOfTheVarianceAndKeepsTheEffect()
    {
        var cuped = Cuped.Analyze(Summarize(Units(5, 5000, 0)), Summarize(Units(6, 5000, 0.3)), relative: false);

        Assert.InRange(cuped.VarianceReduction, 0.9, 1.0);
        Assert.InRange(cuped.Effect.CiLow, 0.2, 0.3);
        Assert.InRange(cuped.Effect.CiHigh, 0.3, 0.4);
    }

    [Fact]
    public void ConstantCovariate_ChangesNothing()
    {
        var control = Units(7, 1000, 0).Select(u => u with { Pre = 1 }).ToList();
        var treatment = Units(8, 1000, 0.2).Select(u => u with { Pre = 1 }).ToList();

        var cuped = Cuped.Analyze(Summarize(control), Summarize(treatment), relative: false);
        var plain = WelchTest.Analyze(Cuped.Unadjusted(Summarize(control)), Cuped.Unadjusted(Summarize(treatment)), relative: false);

        Assert.Equal(0, cuped.Theta);
        Assert.Equal(plain.StandardError, cuped.Effect.StandardError, 12);
        Assert.Equal(0, cuped.VarianceReduction, 12);
    }
}
