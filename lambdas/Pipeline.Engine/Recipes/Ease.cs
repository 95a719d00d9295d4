using Pipeline.Engine.Numerics;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"): the item-item weights with zero
/// diagonal minimising ‖X − XB‖² + λ‖B‖², in closed form B = I − P·diagMat(1/diag(P)), P = (XᵀX + λI)⁻¹.
/// A user's scores are xᵤ·B, the sum of B's rows for the items in their history.
/// </summary>
public static class Ease
{
    /// <summary>B as float32, row-major n×n (float64 would double the memory for no ranking change).</summary>
    public static float[] Train(FeedbackMatrix matrix, double lambda, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (!(lambda > 0)) throw new ArgumentOutOfRangeException(nameof(lambda), "lambda must be positive");
        var n = matrix.ItemCount;
        var p = SymmetricInverse.Allocate(n, out var size);
        Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var row = p.AsSpan((int)((long)i * size), n);
            CoOccurrence.GramRow(matrix, i, row);
            row[i] += lambda;
        });
        SymmetricInverse.InvertInPlace(p, size, cancellationToken);
        return Weights(p, n, size);
    }

    /// <summary>B[i, j] = −P[i, j] / P[j, j] off the diagonal, 0 on it.</summary>
    public static float[] Weights(double[] inverse, int n, int stride)
    {
        var b = new float[(long)n * n];
        Parallel.For(0, n, i =>
        {
            var row = (long)i * stride;
            var target = (long)i * n;
            for (var j = 0; j < n; j++)
                b[target + j] = i == j ? 0f : (float)(-inverse[row + j] / inverse[(long)j * stride + j]);
        });
        return b;
    }
}
