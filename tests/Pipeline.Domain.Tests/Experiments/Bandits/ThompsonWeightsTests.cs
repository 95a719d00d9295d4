using Pipeline.Domain.Experiments.Bandits;

namespace Pipeline.Domain.Tests.Experiments.Bandits;

public sealed class ThompsonWeightsTests
{
    [Fact]
    public void ProbabilityBest_OfTwoArms_MatchesTheNormalClosedForm()
    {
        // P(B > A) = Φ((mB − mA) / √(sA² + sB²)) = Φ(0.02 / 0.0141421) = Φ(1.41421) = 0.92135.
        var p = ThompsonWeights.ProbabilityBest([(0.20, 0.01), (0.22, 0.01)], seed: 1);

        Assert.Equal(0.92135, p[1], 0.01);
        Assert.Equal(1, p.Sum(), 9);
    }

    [Fact]
    public void ProbabilityBest_WithTheSameSeed_GivesTheSameWeights()
    {
        (double, double)[] arms = [(0.1, 0.05), (0.12, 0.05), (0.11, 0.05)];

        Assert.Equal(ThompsonWeights.ProbabilityBest(arms, 7), ThompsonWeights.ProbabilityBest(arms, 7));
    }

    [Fact]
    public void Floor_RaisesArmsBelowTheMinimumShare_AndSharesTheRestInProportion()
    {
        var weights = ThompsonWeights.Floor([0.001, 0.299, 0.7], minimumShare: 0.05);

        Assert.Equal(0.05, weights[0]);
        Assert.Equal(0.95 * 0.299 / 0.999, weights[1], 3);
        Assert.Equal(0.95 * 0.7 / 0.999, weights[2], 3);
        Assert.Equal(1, weights.Sum(), 9);
    }

    [Fact]
    public void Floor_WhenOneArmTakesEverything_LeavesTheOthersAtTheMinimum()
    {
        Assert.Equal([0.01, 0.01, 0.98], ThompsonWeights.Floor([0, 0, 1], minimumShare: 0.01));
    }
}
