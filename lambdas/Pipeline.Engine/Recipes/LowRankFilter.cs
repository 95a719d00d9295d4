using Pipeline.Engine.Numerics;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// The graph filter's spectral part, a rank-limited item-item matrix F·Gᵀ: a user's scores are (Σᵢ wᵢ·Fᵢ)·Gⱼ for every
/// item j. Both blocks below are built from the same V, the leading right singular vectors of R̃ = D_U^−½·R·D_I^−½
/// (<see cref="ItemSpectrum"/>), so only V is kept, once, as int8 rows with a float scale each
/// (<see cref="QuantizedRows"/>), next to the items' degree roots dᵢ^½, the low-pass weight β and the sharpening
/// coefficients −η·σ⁴: F and G are never materialised. Scoring folds the history into the blocks' vectors
/// (<see cref="Fold"/>: x₁ = Σ wᵢ·Vᵢ/dᵢ^½, x₂ = −η·σ⁴ ∘ Σ wᵢ·Vᵢ), then reads each item's row of V once for both dot
/// products: score j += β·dⱼ^½·(Vⱼ·x₁) + Vⱼ·x₂ (<see cref="QuantizedRows.AddProducts"/>). At rank 384 that is
/// 384 bytes an item, a quarter of one float32 block and an eighth of the two. The blocks:
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
    private readonly float[] _lowPassFactors;

    /// <param name="vectors">V, items × rank, int8 rows.</param>
    /// <param name="roots">dᵢ^½ for every item (at least 1).</param>
    /// <param name="weight">β, the low-pass block's weight (0: no low-pass block).</param>
    /// <param name="sharpening">−η·σ_c⁴ for each of the rank's columns, or empty (no sharpening block).</param>
    public LowRankFilter(QuantizedRows vectors, float[] roots, float weight, float[] sharpening)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(sharpening);
        if (roots.Length != vectors.Rows) throw new ArgumentException("one degree root per item", nameof(roots));
        if (sharpening.Length != 0 && sharpening.Length != vectors.Width) throw new ArgumentException("one sharpening coefficient per column of V", nameof(sharpening));
        if (!float.IsFinite(weight) || weight < 0) throw new ArgumentException("the low-pass weight must be finite and not negative", nameof(weight));
        foreach (var r in roots)
            if (!(r >= 1) || !float.IsFinite(r)) throw new ArgumentException("degree roots must be finite and at least 1", nameof(roots));
        foreach (var c in sharpening)
            if (!float.IsFinite(c)) throw new ArgumentException("sharpening coefficients must be finite", nameof(sharpening));
        if (weight == 0 && sharpening.Length == 0) throw new ArgumentException("a low-rank filter needs the low-pass block, the sharpening block or both");
        Vectors = vectors;
        Roots = roots;
        Weight = weight;
        Sharpening = sharpening;
        _lowPassFactors = new float[roots.Length];
        for (var i = 0; i < roots.Length; i++) _lowPassFactors[i] = weight * roots[i];
    }

    /// <summary>V, items × <see cref="Rank"/>, int8 rows with a scale each: shared by both blocks.</summary>
    public QuantizedRows Vectors { get; }

    /// <summary>dᵢ^½ (popularity, at least 1) for every item.</summary>
    public float[] Roots { get; }

    /// <summary>β: the low-pass block's weight (0 = no low-pass block).</summary>
    public float Weight { get; }

    /// <summary>−η·σ_c⁴ per column of V, or empty (no sharpening block).</summary>
    public float[] Sharpening { get; }

    public int Rank => Vectors.Width;
    public int ItemCount => Vectors.Rows;
    private bool HasLowPass => Weight > 0;
    private bool HasSharpening => Sharpening.Length > 0;

    /// <summary>The folded vector's length: the rank once per block.</summary>
    public int Width => Rank * ((HasLowPass ? 1 : 0) + (HasSharpening ? 1 : 0));

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
        if (rank < 1 || (weight <= 0 && sharpening <= 0)) return null;
        var n = matrix.ItemCount;
        var v = rank == computedRank ? vectors : new float[(long)n * rank];
        if (rank != computedRank)
            for (var i = 0; i < n; i++) vectors.AsSpan(i * computedRank, rank).CopyTo(v.AsSpan(i * rank, rank));
        var roots = new float[n];
        for (var i = 0; i < n; i++) roots[i] = MathF.Sqrt(Math.Max(1, matrix.Popularity(i)));
        var coefficients = sharpening > 0 ? new float[rank] : [];
        for (var c = 0; c < coefficients.Length; c++) coefficients[c] = -sharpening * (float)Math.Pow(singularValues[c], 4);
        return new LowRankFilter(new QuantizedRows(v.AsSpan(0, n * rank), n, rank), roots, Math.Max(0, weight), coefficients);
    }

    /// <summary>The history's vectors into <paramref name="folded"/> (<see cref="Width"/> long): Σᵢ wᵢ·Vᵢ/dᵢ^½ for the
    /// low-pass block, then −η·σ⁴ ∘ Σᵢ wᵢ·Vᵢ for the sharpening block.</summary>
    public void Fold(ReadOnlySpan<int> history, ReadOnlySpan<float> weights, Span<float> folded)
    {
        folded = folded[..Width];
        folded.Clear();
        var rank = Rank;
        var low = HasLowPass ? folded[..rank] : default;
        var sharp = HasSharpening ? folded[(HasLowPass ? rank : 0)..] : default;
        for (var k = 0; k < history.Length; k++)
        {
            var item = history[k];
            var w = weights.IsEmpty ? 1f : weights[k];
            if (HasLowPass) Vectors.AddRow(item, w / Roots[item], low);
            if (HasSharpening) Vectors.AddRow(item, w, sharp);
        }
        if (HasSharpening)
            for (var c = 0; c < rank; c++) sharp[c] *= Sharpening[c];
    }

    /// <summary>scores[j] += β·dⱼ^½·(Vⱼ·x₁) + Vⱼ·x₂ for every item, both from one pass over V's int8 rows.</summary>
    public void AddTo(ReadOnlySpan<float> folded, Span<float> scores)
    {
        var rank = Rank;
        if (HasLowPass && HasSharpening) Vectors.AddProducts(folded[..rank], _lowPassFactors, folded.Slice(rank, rank), scores);
        else if (HasLowPass) Vectors.AddProduct(folded[..rank], scores, _lowPassFactors);
        else Vectors.AddProduct(folded[..rank], scores);
    }
}
