using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Analysis;
using Pipeline.Domain.Experiments.Metrics;
using Pipeline.Domain.Experiments.Results;
using Xunit.Abstractions;

namespace Pipeline.Domain.Tests.Experiments.Results;

/// <summary>
/// Monte-Carlo checks of the inference the results use (ExperimentAnalyzer.RelativeLift on conversion),
/// with fixed seeds so the figures are reproducible.
/// </summary>
public sealed class SequentialSimulationTests(ITestOutputHelper output)
{
    private const int Experiments = 1000;
    private const double BaseRate = 0.10;

    [Fact]
    public void SequentialInterval_Over1000AaExperimentsPeekedDaily_KeepsFalsePositivesAtOrBelow5Percent()
    {
        const int days = 14, usersPerArmPerDay = 300;
        var random = new Random(20261125);
        int sequentialFalsePositives = 0, naiveFalsePositives = 0;
        for (var e = 0; e < Experiments; e++)
        {
            var control = new VariantDayMetrics("a", default);
            var treatment = new VariantDayMetrics("b", default);
            bool sequentialRejected = false, naiveRejected = false;
            for (var d = 0; d < days; d++)
            {
                control = control with { ExposedUsers = control.ExposedUsers + usersPerArmPerDay, Purchasers = control.Purchasers + Binomial(random, usersPerArmPerDay, BaseRate) };
                treatment = treatment with { ExposedUsers = treatment.ExposedUsers + usersPerArmPerDay, Purchasers = treatment.Purchasers + Binomial(random, usersPerArmPerDay, BaseRate) };
                var lift = ExperimentAnalyzer.RelativeLift(ExperimentMetrics.ConversionRate, control, treatment)!.Value;
                sequentialRejected |= lift.Sequential.CiLow > 0 || lift.Sequential.CiHigh < 0;
                naiveRejected |= lift.Welch.CiLow > 0 || lift.Welch.CiHigh < 0;
            }
            sequentialFalsePositives += sequentialRejected ? 1 : 0;
            naiveFalsePositives += naiveRejected ? 1 : 0;
        }
        output.WriteLine($"A/A, {Experiments} experiments x {days} daily peeks, {usersPerArmPerDay} users/arm/day, p = {BaseRate}: " +
            $"sequential false-positive rate {sequentialFalsePositives / (double)Experiments:P1}, fixed-horizon Welch peeked daily {naiveFalsePositives / (double)Experiments:P1}");

        Assert.True(sequentialFalsePositives <= 0.05 * Experiments, $"sequential FPR {sequentialFalsePositives}/{Experiments}");
        // Peeking at a fixed-horizon test inflates its error well beyond α: the reason for the sequential interval.
        Assert.True(naiveFalsePositives > sequentialFalsePositives);
    }

    [Fact]
    public void FivePercentLift_IsDetectedWithThePowerTheCalculatorPredicts()
    {
        const double lift = 0.05;
        var n = PowerCalculator.SampleSizePerVariantForProportion(BaseRate, lift, alpha: 0.05, power: 0.8);
        var random = new Random(5);
        int detected = 0, sequentialDetected = 0;
        for (var e = 0; e < Experiments; e++)
        {
            var control = new VariantDayMetrics("a", default) { ExposedUsers = n, Purchasers = Binomial(random, n, BaseRate) };
            var treatment = new VariantDayMetrics("b", default) { ExposedUsers = n, Purchasers = Binomial(random, n, BaseRate * (1 + lift)) };
            var result = ExperimentAnalyzer.RelativeLift(ExperimentMetrics.ConversionRate, control, treatment)!.Value;
            detected += result.Welch.CiLow > 0 ? 1 : 0;
            sequentialDetected += result.Sequential.CiLow > 0 ? 1 : 0;
        }
        var power = detected / (double)Experiments;
        output.WriteLine($"5% lift on p = {BaseRate}: calculator n = {n} per variant for 80% power; detected in {power:P1} of {Experiments} " +
            $"(fixed horizon), sequential interval at the same n: {sequentialDetected / (double)Experiments:P1}");

        // Monte-Carlo standard error of a rate near 0.8 over 1000 runs is sqrt(0.8·0.2/1000) ≈ 0.0126; ±0.04 is about 3 SE.
        Assert.InRange(power, 0.76, 0.84);
    }

    // Exact Bernoulli sum: simple and unbiased; fast enough for these sizes.
    private static long Binomial(Random random, long n, double p)
    {
        long k = 0;
        for (long i = 0; i < n; i++)
        {
            if (random.NextDouble() < p) k++;
        }
        return k;
    }
}
