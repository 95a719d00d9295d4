using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Benchmarks.Probes;

/// <summary>
/// The graph filter as auto builds it on Gowalla: rows of 1,000 entries plus a rank-384 spectral part (low-pass and
/// sharpening blocks, 768 wide), with the exponents and weights validation chose there.
/// </summary>
internal static class GowallaGraph
{
    public static UserPersonalizationOptions Options { get; } = new("graph", GraphRowExponent: 0.5,
        GraphColumnExponent: 0.375, GraphUserExponent: 1, GraphNeighbours: 1000, GraphRank: 384, GraphLowRankWeight: 0.14, GraphSharpening: 1.1,
        EventTypeWeights: HistoryWeighting.Neutral.EventTypeWeights, RecencyHalfLife: 0, CategoryWeight: 0);
}
