namespace Pipeline.Domain.Experiments.Analysis;

/// <summary>
/// One variant's metric Y with a pre-exposure covariate X, as sufficient statistics:
/// n, ΣY, ΣY², ΣX, ΣX², ΣXY.
/// </summary>
public sealed record CovariateSummary(
    long Units, double Sum, double SumOfSquares, double CovariateSum, double CovariateSumOfSquares, double SumOfProducts)
{
    internal double CenteredYY => SumOfSquares - Sum * Sum / Units;
    internal double CenteredXX => CovariateSumOfSquares - CovariateSum * CovariateSum / Units;
    internal double CenteredXY => SumOfProducts - Sum * CovariateSum / Units;
}

/// <summary>The CUPED-adjusted effect, θ, and the share of the effect's variance CUPED removed.</summary>
public sealed record CupedResult(double Theta, EffectEstimate Effect, double VarianceReduction);

/// <summary>
/// CUPED (Deng et al. 2013): Y' = Y − θ(X − X̄), θ = Cov(X, Y)/Var(X) pooled within variants
/// (θ = Σ_arms S_xy / Σ_arms S_xx). Per variant the adjusted mean is Ȳ − θ(X̄_arm − X̄_all) and
/// the adjusted variance Var(Y) + θ²Var(X) − 2θCov(X, Y); the effect is then Welch's test on the
/// adjusted summaries (absolute or relative by the delta method).
/// </summary>
public static class Cuped
{
    public static double Theta(CovariateSummary control, CovariateSummary treatment)
    {
        var sxx = control.CenteredXX + treatment.CenteredXX;
        return sxx > 0 ? (control.CenteredXY + treatment.CenteredXY) / sxx : 0;
    }

    public static SampleSummary Adjust(CovariateSummary variant, double theta, double overallCovariateMean)
    {
        if (variant.Units < 2) throw new ArgumentOutOfRangeException(nameof(variant), variant.Units, "CUPED needs at least two units per variant.");
        var n = variant.Units;
        var mean = variant.Sum / n - theta * (variant.CovariateSum / n - overallCovariateMean);
        var variance = (variant.CenteredYY + theta * theta * variant.CenteredXX - 2 * theta * variant.CenteredXY) / (n - 1);
        return new SampleSummary(n, mean, Math.Max(0, variance));
    }

    public static SampleSummary Unadjusted(CovariateSummary variant) =>
        SampleSummary.FromSums(variant.Units, variant.Sum, variant.SumOfSquares);

    public static CupedResult Analyze(CovariateSummary control, CovariateSummary treatment, bool relative, double alpha = 0.05)
    {
        var theta = Theta(control, treatment);
        var overallCovariateMean = (control.CovariateSum + treatment.CovariateSum) / (control.Units + treatment.Units);
        var effect = WelchTest.Analyze(
            Adjust(control, theta, overallCovariateMean), Adjust(treatment, theta, overallCovariateMean), relative, alpha);
        var unadjusted = DeltaMethod.Of(Unadjusted(control), Unadjusted(treatment), relative);
        var reduction = unadjusted.Variance > 0 ? 1 - effect.StandardError * effect.StandardError / unadjusted.Variance : 0;
        return new CupedResult(theta, effect, reduction);
    }
}
