namespace Pipeline.Cli.Simulation;

/// <summary>
/// The examination model: a shopper looks at the item at 1-based <c>rank</c> with probability 1 / log2(rank + 1)
/// (the discount of DCG; 1 at the top, 0.5 at rank 3, 0.29 at rank 10), and clicks what they looked at with the
/// item's true relevance. So a click depends on both how good the item is and where it was shown.
/// </summary>
public static class PositionBias
{
    public static double Examination(int rank) => 1 / Math.Log2(rank + 1);
}
