using Pipeline.Engine.Numerics;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// GF-CF's ideal low-pass filter: a user's scores are <see cref="Weight"/> · xᵤ·D^−½·V·Vᵀ·D^½, V the leading right
/// singular vectors of the normalised feedback matrix (<see cref="ItemSpectrum"/>), D the item degrees. Scoring
/// folds the history into a rank-long vector (one row of V per item), then takes one dot product per item over an
/// int8 copy of Weight·D^½·V (<see cref="QuantizedRows"/>: a quarter of the memory traffic, the cost that dominates).
/// </summary>
public sealed class LowRankFilter
{
    public LowRankFilter(float[] vectors, float[] degreeRoots, int rank, float weight)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(degreeRoots);
        if (rank < 1 || vectors.LongLength != (long)degreeRoots.Length * rank) throw new ArgumentException("vectors must be items × rank");
        Vectors = vectors;
        DegreeRoots = degreeRoots;
        Rank = rank;
        Weight = weight;
        var factors = new float[degreeRoots.Length];
        for (var j = 0; j < factors.Length; j++) factors[j] = weight * degreeRoots[j];
        _serving = new QuantizedRows(vectors, degreeRoots.Length, rank, factors);
    }

    private readonly QuantizedRows _serving;

    /// <summary>V, items × rank, row-major.</summary>
    public float[] Vectors { get; }

    /// <summary>dⱼ^½ for every item.</summary>
    public float[] DegreeRoots { get; }
    public int Rank { get; }
    public float Weight { get; }
    public int ItemCount => DegreeRoots.Length;

    public static LowRankFilter From(FeedbackMatrix matrix, float[] vectors, int computedRank, int rank, float weight)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        rank = Math.Min(rank, computedRank);
        var n = matrix.ItemCount;
        var kept = new float[(long)n * rank];
        for (var i = 0; i < n; i++) vectors.AsSpan(i * computedRank, rank).CopyTo(kept.AsSpan(i * rank, rank));
        var roots = new float[n];
        for (var i = 0; i < n; i++) roots[i] = MathF.Sqrt(Math.Max(1, matrix.Popularity(i)));
        return new LowRankFilter(kept, roots, rank, weight);
    }

    /// <summary>The history's vector Σᵢ wᵢ·dᵢ^−½·Vᵢ into <paramref name="folded"/> (rank long).</summary>
    public void Fold(ReadOnlySpan<int> history, ReadOnlySpan<float> weights, Span<float> folded)
    {
        folded = folded[..Rank];
        folded.Clear();
        for (var k = 0; k < history.Length; k++)
        {
            var item = history[k];
            var w = (weights.IsEmpty ? 1f : weights[k]) / DegreeRoots[item];
            ItemSpectrum.Axpy(w, Vectors.AsSpan(item * Rank, Rank), folded);
        }
    }

    /// <summary>scores[j] += Weight · dⱼ^½ · Vⱼ·folded for every item (from the int8 copy: each entry within 1/254 of its row's largest).</summary>
    public void AddTo(ReadOnlySpan<float> folded, Span<float> scores) => _serving.AddProduct(folded[..Rank], scores);
}
