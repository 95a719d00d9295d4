using Pipeline.Domain.Experiments.Analysis;

namespace Pipeline.Domain.Tests.Experiments.Analysis;

public sealed class BayesianChanceToWinTests
{
    [Fact]
    public void Closed_form_and_numerical_integration_agree()
    {
        var closed = BayesianChanceToWin.ClosedForm(51, 151, 61, 141);
        var integrated = BayesianChanceToWin.Integrate(51, 151, 61, 141);

        Assert.Equal(closed, integrated, 1e-9);
    }

    [Fact]
    public void Identical_data_gives_one_half() =>
        Assert.Equal(0.5, BayesianChanceToWin.BetaBinomial(1000, 100, 1000, 100, BetaPrior.Uniform), 1e-10);

    [Fact]
    public void Chances_of_each_variant_beating_the_other_add_to_one()
    {
        var bBeatsA = BayesianChanceToWin.BetaBinomial(900, 80, 1100, 120, BetaPrior.Uniform);
        var aBeatsB = BayesianChanceToWin.BetaBinomial(1100, 120, 900, 80, BetaPrior.Uniform);

        Assert.Equal(1.0, bBeatsA + aBeatsB, 1e-10);
    }

    [Fact]
    public void Non_integer_prior_is_integrated_and_lies_next_to_the_uniform_prior_result()
    {
        var jeffreys = BayesianChanceToWin.BetaBinomial(2000, 210, 2000, 240, new BetaPrior(0.5, 0.5));
        var uniform = BayesianChanceToWin.BetaBinomial(2000, 210, 2000, 240, BetaPrior.Uniform);

        Assert.InRange(jeffreys, 0.9, 0.99);
        Assert.Equal(uniform, jeffreys, 2e-3);
    }
}
