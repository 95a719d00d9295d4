namespace Pipeline.Domain.Experiments.Analysis;

/// <summary>
/// Always-valid (sequential) inference with the normal-mixture boundary (mixture SPRT, as in
/// GrowthBook). With N = nA + nB, σ̂² = N·Var(effect) and the tuning
/// ρ = sqrt((−2 ln α + ln(−2 ln α + 1)) / N*), the half-width is
/// σ̂·sqrt(2(Nρ² + 1)·ln(sqrt(Nρ² + 1)/α) / (Nρ)²), and the always-valid p-value is
/// min(1, sqrt(Nρ² + 1)·exp(−θ̂²N²ρ² / (2σ̂²(Nρ² + 1)))) — the α at which the interval touches 0.
/// </summary>
public static class SequentialInterval
{
    /// <summary>ρ for a target sample size N* (the total sample at which the interval is tightest).</summary>
    public static double Rho(double alpha, double tuningSampleSize)
    {
        AnalysisGuards.CheckAlpha(alpha);
        if (!(tuningSampleSize > 0)) throw new ArgumentOutOfRangeException(nameof(tuningSampleSize), tuningSampleSize, "N* must be > 0.");
        var minusTwoLogAlpha = -2 * Math.Log(alpha);
        return Math.Sqrt((minusTwoLogAlpha + Math.Log(minusTwoLogAlpha + 1)) / tuningSampleSize);
    }

    public static EffectEstimate Analyze(
        SampleSummary control, SampleSummary treatment, bool relative, double alpha, double tuningSampleSize)
    {
        var rho = Rho(alpha, tuningSampleSize);
        var difference = DeltaMethod.Of(control, treatment, relative);
        double n = control.Units + treatment.Units;
        var s2 = difference.Variance * n;
        var nRho2 = n * rho * rho;
        var nRho = n * rho;
        var halfWidth = Math.Sqrt(s2 * 2 * (nRho2 + 1) * Math.Log(Math.Sqrt(nRho2 + 1) / alpha) / (nRho * nRho));
        double pValue;
        if (s2 > 0)
        {
            var exponent = -difference.Estimate * difference.Estimate * nRho * nRho / (2 * s2 * (nRho2 + 1));
            pValue = Math.Min(1, Math.Sqrt(nRho2 + 1) * Math.Exp(exponent));
        }
        else
        {
            pValue = difference.Estimate == 0 ? 1 : 0;
        }
        return new EffectEstimate(difference.Estimate, difference.StandardError,
            difference.Estimate - halfWidth, difference.Estimate + halfWidth, pValue, null);
    }
}
