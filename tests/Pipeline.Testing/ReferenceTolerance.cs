namespace Pipeline.Testing;

/// <summary>
/// The comparison tolerance: 1e-4 absolute, as the brief states, for every case. The SRM cases of the reference file
/// are computed from their weights exactly as written (they once were computed from unrounded weights, which needed
/// a wider χ² tolerance; issue #18 item 13 tightened it back).
/// </summary>
public static class ReferenceTolerance
{
    public const double Default = 1e-4;
}
