using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// Graph-filter scoring (<see cref="ItemGraph"/>): xᵤ·S, the (weighted) sum of the sparse rows of S for the user's
/// items. The cost is the history's total row length (at most items × neighbours), independent of the catalogue
/// size apart from clearing the score vector; a new event just adds a row. With a <see cref="LowRank"/> part (GF-CF's
/// ideal low-pass filter, BSPM's sharpening) the cost adds items × its width multiply-adds.
/// </summary>
public sealed class ItemGraphScorer(SparseRows filter, ItemGraphOptions options, LowRankFilter? lowRank = null) : IUserScorer
{
    [ThreadStatic] private static float[]? t_folded;

    public UserPersonalizationAlgorithm Algorithm => UserPersonalizationAlgorithm.Graph;

    public int ItemCount { get; } = filter.RowCount == filter.ColumnCount
        ? filter.RowCount
        : throw new ArgumentException("the filter must be items × items", nameof(filter));

    public int FactorLength => 0;

    /// <summary>S, each row's kept entries by ascending column.</summary>
    public SparseRows Filter { get; } = filter;

    /// <summary>The exponents and row length S was built with.</summary>
    public ItemGraphOptions Options { get; } = options;

    /// <summary>The low-pass part added to S's scores, or null.</summary>
    public LowRankFilter? LowRank { get; } = lowRank is null || lowRank.ItemCount == filter.RowCount
        ? lowRank
        : throw new ArgumentException("the low-rank filter must describe the same items", nameof(lowRank));

    public ReadOnlySpan<float> TrainedFactor(int user) => [];

    public float[]? FoldIn(ReadOnlySpan<int> history, ReadOnlySpan<float> start) => null;

    public void Score(ReadOnlySpan<int> history, ReadOnlySpan<float> weights, ReadOnlySpan<float> factor, Span<float> scores)
    {
        scores = scores[..ItemCount];
        scores.Clear();
        for (var k = 0; k < history.Length; k++)
            AddRow(Filter.ColumnsOf(history[k]), Filter.ValuesOf(history[k]), weights.IsEmpty ? 1f : weights[k], scores);
        if (LowRank is not { } low || history.IsEmpty) return;
        var folded = t_folded is { } f && f.Length >= low.Width ? f : t_folded = new float[low.Width];
        low.Fold(history, weights, folded);
        low.AddTo(folded, scores);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddRow(ReadOnlySpan<int> columns, ReadOnlySpan<float> values, float weight, Span<float> scores)
    {
        ref var s = ref MemoryMarshal.GetReference(scores);
        for (var k = 0; k < columns.Length; k++) Unsafe.Add(ref s, columns[k]) += weight * values[k];
    }
}

/// <summary>
/// The graph filter's hyperparameters: S[i, j] = dᵢ^−<see cref="RowExponent"/> · Σᵥ dᵥ^−<see cref="UserExponent"/>
/// · dⱼ^−<see cref="ColumnExponent"/>, rows cut to <see cref="Neighbours"/> entries; the spectral part
/// (<see cref="LowRankFilter"/>) keeps <see cref="Rank"/> singular vectors (0 = none): the low-pass filter weighted by
/// <see cref="LowRankWeight"/> and BSPM's sharpening step <see cref="Sharpening"/> (0 = off for either).
/// </summary>
public sealed record ItemGraphOptions(double RowExponent = 0.5, double ColumnExponent = 0.5, double UserExponent = 1, int Neighbours = 1000,
    int Rank = 0, double LowRankWeight = 0, double Sharpening = 0);
