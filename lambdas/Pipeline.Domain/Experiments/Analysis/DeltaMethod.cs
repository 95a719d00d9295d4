namespace Pipeline.Domain.Experiments.Analysis;

/// <summary>A difference between two variants and the variance of that difference.</summary>
public readonly record struct Difference(double Estimate, double Variance)
{
    public double StandardError => Math.Sqrt(Variance);
}

/// <summary>
/// The effect of treatment B over control A, absolute (mB − mA) or relative ((mB − mA)/|mA|) with
/// the delta-method variance vB/nB/mA² + vA/nA·mB²/mA⁴.
/// </summary>
public static class DeltaMethod
{
    public static Difference Absolute(SampleSummary control, SampleSummary treatment) =>
        new(treatment.Mean - control.Mean, treatment.VarianceOfMean + control.VarianceOfMean);

    public static Difference Relative(SampleSummary control, SampleSummary treatment)
    {
        var mA = control.Mean;
        if (mA == 0) throw new ArgumentException("A relative effect needs a non-zero control mean.", nameof(control));
        var mB = treatment.Mean;
        var mA2 = mA * mA;
        var variance = treatment.VarianceOfMean / mA2 + control.VarianceOfMean * mB * mB / (mA2 * mA2);
        return new((mB - mA) / Math.Abs(mA), variance);
    }

    public static Difference Of(SampleSummary control, SampleSummary treatment, bool relative) =>
        relative ? Relative(control, treatment) : Absolute(control, treatment);
}
