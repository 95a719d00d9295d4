using Pipeline.Engine.Numerics;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// EASE trained for several λ on one feedback matrix, as λ tuning does: XᵀX is computed once and copied for each
/// candidate, and the inverse and weight buffers are reused, so a candidate costs its n³ inverse and no more
/// (fresh 9 MB arrays per candidate at 1,000 items cost zeroing and page faults next to a 50 ms inverse).
/// The price is a second padded float32 matrix while tuning (at 6,000 items 2 × 147 MB plus B's 144 MB, still far
/// inside the 8 GiB budget). Not thread-safe; <see cref="Train"/> returns a buffer the next call overwrites.
/// </summary>
public sealed class EaseCandidates
{
    private readonly float[] _gram;
    private readonly float[] _work;
    private readonly float[] _weights;
    private readonly int _n;
    private readonly int _size;

    public EaseCandidates(FeedbackMatrix matrix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        _n = matrix.ItemCount;
        _gram = SymmetricInverse.Allocate(_n, out _size);
        Ease.FillGram(matrix, _gram, _size, cancellationToken);
        _work = new float[_gram.Length];
        _weights = new float[(long)_n * _n];
    }

    /// <summary>B for <paramref name="lambda"/> (as <see cref="Ease.Train"/> computes it), valid until the next call.</summary>
    public float[] Train(double lambda, CancellationToken cancellationToken = default)
    {
        Ease.CheckLambda(lambda);
        Array.Copy(_gram, _work, _gram.LongLength);
        Ease.AddToDiagonal(_work, _n, _size, lambda);
        SymmetricInverse.InvertInPlace(_work, _size, cancellationToken);
        Ease.Weights(_work, _n, _size, _weights);
        return _weights;
    }
}
