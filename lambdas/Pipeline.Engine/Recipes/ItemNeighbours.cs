namespace Pipeline.Engine.Recipes;

/// <summary>Each item's top neighbours, best first, as compressed rows: item i's are [Offsets[i], Offsets[i+1]).</summary>
public sealed record ItemNeighbours(int[] Offsets, int[] Neighbours, float[] Scores)
{
    public int ItemCount => Offsets.Length - 1;

    public ReadOnlySpan<int> NeighboursOf(int item) => Neighbours.AsSpan(Offsets[item], Offsets[item + 1] - Offsets[item]);

    public ReadOnlySpan<float> ScoresOf(int item) => Scores.AsSpan(Offsets[item], Offsets[item + 1] - Offsets[item]);
}
