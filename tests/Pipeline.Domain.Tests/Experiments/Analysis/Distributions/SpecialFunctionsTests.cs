using Pipeline.Domain.Experiments.Analysis.Distributions;

namespace Pipeline.Domain.Tests.Experiments.Analysis.Distributions;

public sealed class SpecialFunctionsTests
{
    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(5.0, 3.1780538303479458)] // ln 4!
    [InlineData(0.5, 0.57236494292470008)] // ln √π
    [InlineData(0.1, 2.2527126517342060)]
    public void LogGamma_MatchesKnownValues(double x, double expected) =>
        Assert.Equal(expected, SpecialFunctions.LogGamma(x), 1e-13);

    [Fact]
    public void LogGamma_OfALargeArgument_FollowsStirling()
    {
        const double x = 1e6;
        var stirling = (x - 0.5) * Math.Log(x) - x + 0.5 * Math.Log(2 * Math.PI) + 1 / (12 * x);
        Assert.True(Math.Abs(SpecialFunctions.LogGamma(x) / stirling - 1) < 1e-13);
    }

    [Theory]
    [InlineData(2.5, 0.3)]
    [InlineData(40.0, 0.9)]
    public void RegularizedBeta_WithBOne_IsXToTheA(double a, double x) =>
        Assert.Equal(Math.Pow(x, a), SpecialFunctions.RegularizedBeta(a, 1, x), 1e-13);

    [Theory]
    [InlineData(3.0, 0.2)]
    [InlineData(0.5, 0.99)]
    public void RegularizedBeta_WithAOne_IsOneMinusTheComplementToTheB(double b, double x) =>
        Assert.Equal(1 - Math.Pow(1 - x, b), SpecialFunctions.RegularizedBeta(1, b, x), 1e-13);

    [Theory]
    [InlineData(0.7)]
    [InlineData(75000.0)]
    public void RegularizedBeta_IsOneHalfAtTheCentreOfASymmetricBeta(double a) =>
        Assert.Equal(0.5, SpecialFunctions.RegularizedBeta(a, a, 0.5), 1e-10);

    [Fact]
    public void IncompleteGammaPAndQ_AddToOneOnBothSidesOfTheSwitch()
    {
        Assert.Equal(1.0, SpecialFunctions.RegularizedGammaP(3.5, 2.0) + SpecialFunctions.RegularizedGammaQ(3.5, 2.0), 1e-15);
        Assert.Equal(1.0, SpecialFunctions.RegularizedGammaP(3.5, 9.0) + SpecialFunctions.RegularizedGammaQ(3.5, 9.0), 1e-15);
        Assert.Equal(1 - Math.Exp(-2.0), SpecialFunctions.RegularizedGammaP(1, 2.0), 1e-15);
    }
}
