namespace Pipeline.Domain.Experiments.Analysis;

internal static class AnalysisGuards
{
    public static void CheckAlpha(double alpha)
    {
        if (!(alpha > 0 && alpha < 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in (0, 1).");
    }
}
