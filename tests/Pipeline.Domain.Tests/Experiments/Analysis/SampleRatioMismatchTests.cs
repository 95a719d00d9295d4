using Pipeline.Domain.Experiments.Analysis;

namespace Pipeline.Domain.Tests.Experiments.Analysis;

public sealed class SampleRatioMismatchTests
{
    [Fact]
    public void Counts_MatchingTheWeights_AreNotAMismatch()
    {
        var result = SampleRatioMismatch.Test([5000, 5000], [0.5, 0.5]);

        Assert.Equal(0, result.ChiSquare);
        Assert.Equal(1, result.PValue);
        Assert.Equal(1, result.DegreesOfFreedom);
        Assert.False(result.IsMismatch);
    }

    [Fact]
    public void Mismatch_IsFlaggedOnlyBelowPOneInAThousand()
    {
        // χ² = 2·d²/5000 for counts 5000 ± d: d = 160 gives p ≈ 0.0014, d = 170 gives p ≈ 0.00067.
        Assert.False(SampleRatioMismatch.Test([5160, 4840], [1, 1]).IsMismatch);
        Assert.True(SampleRatioMismatch.Test([5170, 4830], [1, 1]).IsMismatch);
    }

    [Fact]
    public void Weights_AreNormalized()
    {
        var fractions = SampleRatioMismatch.Test([100, 250, 650], [0.1, 0.3, 0.6]);
        var percentages = SampleRatioMismatch.Test([100, 250, 650], [10, 30, 60]);

        Assert.Equal(fractions.ChiSquare, percentages.ChiSquare, 1e-12);
        Assert.Equal(2, fractions.DegreesOfFreedom);
    }

    [Fact]
    public void ReferenceChiSquare_IsReproducedFromTheWeightsAsWritten()
    {
        // The reference file's SRM cases are computed from their weights exactly as printed: the plain 1e-4 holds.
        var srmCases = ReferenceFile.Cases.Where(c => c!["kind"]!.GetValue<string>() == "srm").ToList();
        Assert.NotEmpty(srmCases);
        foreach (var item in srmCases)
        {
            var observed = item!["observed"]!.AsArray().Select(o => o!.GetValue<long>()).ToArray();
            var weights = item["weights"]!.AsArray().Select(w => w!.GetValue<double>()).ToArray();
            var expected = item["expected"]!["chi_square"]!.GetValue<double>();
            Assert.Equal(expected, SampleRatioMismatch.Test(observed, weights).ChiSquare, ReferenceTolerance.Default);
        }
    }

    [Fact]
    public void MismatchedLengths_AreRejected() =>
        Assert.Throws<ArgumentException>(() => SampleRatioMismatch.Test([1, 2, 3], [0.5, 0.5]));
}
