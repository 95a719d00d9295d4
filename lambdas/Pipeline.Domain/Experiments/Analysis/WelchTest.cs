using Pipeline.Domain.Experiments.Analysis.Distributions;

namespace Pipeline.Domain.Experiments.Analysis;

/// <summary>
/// Welch's unequal-variance t-test on the absolute or relative (delta-method) lift: Student t with
/// Welch–Satterthwaite degrees of freedom, two-sided at α.
/// </summary>
public static class WelchTest
{
    /// <summary>ν = (vA/nA + vB/nB)² / ((vA/nA)²/(nA − 1) + (vB/nB)²/(nB − 1)).</summary>
    public static double DegreesOfFreedom(SampleSummary control, SampleSummary treatment)
    {
        var a = control.VarianceOfMean;
        var b = treatment.VarianceOfMean;
        var denominator = a * a / (control.Units - 1) + b * b / (treatment.Units - 1);
        return denominator > 0 ? (a + b) * (a + b) / denominator : double.PositiveInfinity;
    }

    public static EffectEstimate Analyze(SampleSummary control, SampleSummary treatment, bool relative, double alpha = 0.05)
    {
        AnalysisGuards.CheckAlpha(alpha);
        var difference = DeltaMethod.Of(control, treatment, relative);
        var df = DegreesOfFreedom(control, treatment);
        var se = difference.StandardError;
        var critical = double.IsPositiveInfinity(df)
            ? NormalDistribution.Quantile(1 - alpha / 2)
            : StudentTDistribution.Quantile(1 - alpha / 2, df);
        double pValue;
        if (se > 0)
        {
            var t = difference.Estimate / se;
            pValue = double.IsPositiveInfinity(df)
                ? Math.Min(1, 2 * NormalDistribution.Survival(Math.Abs(t)))
                : StudentTDistribution.TwoSidedPValue(t, df);
        }
        else
        {
            pValue = difference.Estimate == 0 ? 1 : 0;
        }
        return new EffectEstimate(difference.Estimate, se, difference.Estimate - critical * se,
            difference.Estimate + critical * se, pValue, df);
    }
}
