using Pipeline.Domain.Experiments.Analysis;

namespace Pipeline.Domain.Tests.Experiments.Analysis;

public sealed class BayesianChanceToWinTests
{
    [Fact]
    public void ClosedFormAndNumericalIntegration_Agree()
    {
        var closed = BayesianChanceToWin.ClosedForm(51, 151, 61, 141);
        var integrated = BayesianChanceToWin.Integrate(51, 151, 61, 141);

        Assert.Equal(closed, integrated, 1e-9);
    }

    [Fact]
    public void IdenticalData_GivesOneHalf() =>
        Assert.Equal(0.5, BayesianChanceToWin.BetaBinomial(1000, 100, 1000, 100, BetaPrior.Uniform), 1e-10);

    [Fact]
    public void ChancesOfEachVariantBeatingTheOther_AddToOne()
    {
        var bBeatsA = BayesianChanceToWin.BetaBinomial(900, 80, 1100, 120, BetaPrior.Uniform);
        var aBeatsB = BayesianChanceToWin.BetaBinomial(1100, 120, 900, 80, BetaPrior.Uniform);

        Assert.Equal(1.0, bBeatsA + aBeatsB, 1e-10);
    }

    [Fact]
    public void NonIntegerPrior_IsIntegratedAndLiesNextToTheUniformPriorResult()
    {
        var jeffreys = BayesianChanceToWin.BetaBinomial(2000, 210, 2000, 240, new BetaPrior(0.5, 0.5));
        var uniform = BayesianChanceToWin.BetaBinomial(2000, 210, 2000, 240, BetaPrior.Uniform);

        Assert.InRange(jeffreys, 0.9, 0.99);
        Assert.Equal(uniform, jeffreys, 2e-3);
    }
}
