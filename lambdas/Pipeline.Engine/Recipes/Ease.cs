using System.Runtime.CompilerServices;
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
        CheckLambda(lambda);
        var n = matrix.ItemCount;
        var p = SymmetricInverse.Allocate(n, out var size);
        FillGram(matrix, p, size, cancellationToken);
        AddToDiagonal(p, n, size, lambda);
        SymmetricInverse.InvertInPlace(p, size, cancellationToken);
        var b = new float[(long)n * n];
        Weights(p, n, size, b);
        return b;
    }

    /// <summary>XᵀX into the n×n corner of a padded matrix of stride <paramref name="size"/> (from <see cref="SymmetricInverse.Allocate"/>).</summary>
    public static void FillGram(FeedbackMatrix matrix, float[] target, int size, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var n = matrix.ItemCount;
        Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellationToken },
            i => CoOccurrence.GramRow(matrix, i, target.AsSpan((int)((long)i * size), n)));
    }

    public static void AddToDiagonal(float[] target, int n, int size, double lambda)
    {
        for (var i = 0; i < n; i++) target[(long)i * size + i] += (float)lambda;
    }

    public static void CheckLambda(double lambda)
    {
        if (!(lambda > 0)) throw new ArgumentOutOfRangeException(nameof(lambda), "lambda must be positive");
    }

    /// <summary>B[i, j] = −P[i, j] / P[j, j] off the diagonal, 0 on it, into <paramref name="b"/> (n×n).</summary>
    public static void Weights(float[] inverse, int n, int stride, float[] b)
    {
        ArgumentNullException.ThrowIfNull(b);
        if (b.LongLength != (long)n * n) throw new ArgumentException("B must be n × n", nameof(b));
        Parallel.For(0, n, i => WeightsRow(inverse, n, stride, b, i));
    }

    // Fully optimised from the first call: a one-off training in a fresh process would run it as tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightsRow(float[] inverse, int n, int stride, float[] b, int i)
    {
        var row = (long)i * stride;
        var target = (long)i * n;
        for (var j = 0; j < n; j++)
            b[target + j] = i == j ? 0f : -inverse[row + j] / inverse[(long)j * stride + j];
    }
}
