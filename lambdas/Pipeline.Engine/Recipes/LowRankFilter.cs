using Pipeline.Engine.Numerics;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// The graph filter's spectral part, a rank-limited item-item matrix F·Gᵀ: a user's scores are (Σᵢ wᵢ·Fᵢ)·Gⱼ for every
/// item j, F and G items × <see cref="Width"/>. Scoring folds the history into a width-long vector (one row of F per
/// item), then takes one dot product per item over an int8 copy of G (<see cref="QuantizedRows"/>: a quarter of the
/// memory traffic, the cost that dominates). Built by <see cref="From"/> from V, the leading right singular vectors of
/// R̃ = D_U^−½·R·D_I^−½ (<see cref="ItemSpectrum"/>), with two blocks:
/// <list type="bullet">
/// <item>GF-CF's ideal low-pass filter (Shen et al. 2021), weight β: β·D^−½·V·Vᵀ·D^½ (F block D^−½V, G block β·D^½V);</item>
/// <item>BSPM's sharpening (Choi et al., SIGIR 2023, "Blurring-Sharpening Process Models"; reference code
/// jeongwhanchoi/BSPM, bspm/model.py: <c>sharpenFunction</c> is −r·R̃ᵀR̃, <c>odeint</c> from the blurred scores), one
/// Euler step of size η from the blurred scores xP̃ (P̃ = R̃ᵀR̃) removes η·x·P̃², which on the top singular vectors is
/// η·x·V·Σ⁴·Vᵀ (F block V, G block −η·V·Σ⁴). This is the paper's late-merge form (the low-pass part added after
/// sharpening, <c>final_sharpening=False</c>), with P̃² kept to the rank's spectrum (σ⁴ makes the rest small). The
/// blurred scores themselves come from the graph's tuned sparse filter S, so η is tuned against S's scale
/// (<see cref="ItemGraphTuning.SelectLowRank"/>).</item>
/// </list>
/// </summary>
public sealed class LowRankFilter
{
    public LowRankFilter(float[] foldRows, float[] serveRows, int width)
    {
        ArgumentNullException.ThrowIfNull(foldRows);
        ArgumentNullException.ThrowIfNull(serveRows);
        if (width < 1 || foldRows.Length != serveRows.Length || foldRows.Length % width != 0)
            throw new ArgumentException("fold and serve rows must both be items × width");
        FoldRows = foldRows;
        ServeRows = serveRows;
        Width = width;
        ItemCount = foldRows.Length / width;
        _serving = new QuantizedRows(serveRows, ItemCount, width);
    }

    private readonly QuantizedRows _serving;

    /// <summary>F, items × width, row-major: what an item of the history adds to the user's folded vector.</summary>
    public float[] FoldRows { get; }

    /// <summary>G, items × width, row-major: an item's score is its row's dot product with the folded vector.</summary>
    public float[] ServeRows { get; }

    public int Width { get; }
    public int ItemCount { get; }

    /// <summary>
    /// The filter from the first <paramref name="rank"/> of <paramref name="computedRank"/> singular vectors (rows of
    /// <paramref name="vectors"/>) and their singular values: the low-pass block when <paramref name="weight"/> &gt; 0,
    /// the sharpening block when <paramref name="sharpening"/> &gt; 0; null when neither.
    /// </summary>
    public static LowRankFilter? From(FeedbackMatrix matrix, float[] vectors, double[] singularValues, int computedRank, int rank, float weight, float sharpening)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(singularValues);
        rank = Math.Min(rank, computedRank);
        var blocks = (weight > 0 ? 1 : 0) + (sharpening > 0 ? 1 : 0);
        if (rank < 1 || blocks == 0) return null;
        var n = matrix.ItemCount;
        var width = blocks * rank;
        var fold = new float[(long)n * width];
        var serve = new float[(long)n * width];
        var fourth = new float[rank];
        for (var c = 0; c < rank; c++) fourth[c] = (float)Math.Pow(singularValues[c], 4);
        for (var i = 0; i < n; i++)
        {
            var v = vectors.AsSpan(i * computedRank, rank);
            var f = fold.AsSpan(i * width, width);
            var g = serve.AsSpan(i * width, width);
            var root = MathF.Sqrt(Math.Max(1, matrix.Popularity(i)));
            var offset = 0;
            if (weight > 0)
            {
                for (var c = 0; c < rank; c++) { f[c] = v[c] / root; g[c] = weight * root * v[c]; }
                offset = rank;
            }
            if (sharpening > 0)
                for (var c = 0; c < rank; c++) { f[offset + c] = v[c]; g[offset + c] = -sharpening * fourth[c] * v[c]; }
        }
        return new LowRankFilter(fold, serve, width);
    }

    /// <summary>The history's vector Σᵢ wᵢ·Fᵢ into <paramref name="folded"/> (width long).</summary>
    public void Fold(ReadOnlySpan<int> history, ReadOnlySpan<float> weights, Span<float> folded)
    {
        folded = folded[..Width];
        folded.Clear();
        for (var k = 0; k < history.Length; k++)
            ItemSpectrum.Axpy(weights.IsEmpty ? 1f : weights[k], FoldRows.AsSpan(history[k] * Width, Width), folded);
    }

    /// <summary>scores[j] += Gⱼ·folded for every item (from the int8 copy: each entry within 1/254 of its row's largest).</summary>
    public void AddTo(ReadOnlySpan<float> folded, Span<float> scores) => _serving.AddProduct(folded[..Width], scores);
}
