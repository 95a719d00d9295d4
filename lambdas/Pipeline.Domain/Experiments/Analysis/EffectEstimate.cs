namespace Pipeline.Domain.Experiments.Analysis;

/// <summary>
/// A treatment-vs-control effect: point estimate, standard error, the two-sided (1 − α) interval
/// and p-value. DegreesOfFreedom is the Welch–Satterthwaite ν, or null when the inference is normal
/// (sequential intervals).
/// </summary>
public sealed record EffectEstimate(
    double Estimate,
    double StandardError,
    double CiLow,
    double CiHigh,
    double PValue,
    double? DegreesOfFreedom);
