using Pipeline.Domain.Experiments.Analysis;

namespace Pipeline.Domain.Tests.Experiments.Analysis;

public sealed class MultipleTestingTests
{
    [Fact]
    public void Holm_MultipliesByRemainingHypothesesKeepsInputOrderAndIsMonotone()
    {
        var adjusted = MultipleTesting.Holm([0.04, 0.01, 0.03]);

        // Sorted 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → max-accumulated 0.06.
        Assert.Equal([0.06, 0.03, 0.06], adjusted.Select(p => Math.Round(p, 12)).ToArray());
    }

    [Fact]
    public void Holm_CapsAtOne() =>
        Assert.All(MultipleTesting.Holm([0.6, 0.7, 0.9]), p => Assert.Equal(1.0, p));

    [Fact]
    public void BenjaminiHochberg_ScalesByMOverRankAndTakesTheRunningMinimumFromTheTop()
    {
        var adjusted = MultipleTesting.BenjaminiHochberg([0.01, 0.04, 0.03, 0.5]);

        // 0.01·4/1 = 0.04; 0.03·4/2 = 0.06; 0.04·4/3 = 0.0533; 0.5 → min from the top: 0.04, 0.0533, 0.0533, 0.5.
        Assert.Equal(0.04, adjusted[0], 12);
        Assert.Equal(0.04 * 4 / 3, adjusted[1], 12);
        Assert.Equal(0.04 * 4 / 3, adjusted[2], 12);
        Assert.Equal(0.5, adjusted[3], 12);
    }

    [Fact]
    public void Adjustments_NeverLowerAPValue()
    {
        double[] p = [0.001, 0.2, 0.04, 0.7, 0.03];
        Assert.All(MultipleTesting.Holm(p).Zip(p), pair => Assert.True(pair.First >= pair.Second));
        Assert.All(MultipleTesting.BenjaminiHochberg(p).Zip(p), pair => Assert.True(pair.First >= pair.Second));
    }

    [Fact]
    public void EmptyFamily_AdjustsToNothing()
    {
        Assert.Empty(MultipleTesting.Holm([]));
        Assert.Empty(MultipleTesting.BenjaminiHochberg([]));
    }

    [Fact]
    public void PValue_OutsideZeroToOne_IsRejected() =>
        Assert.Throws<ArgumentException>(() => MultipleTesting.Holm([0.5, 1.5]));
}
