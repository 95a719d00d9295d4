using System.Numerics.Tensors;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// Implicit-feedback ALS with the conjugate-gradient solver of Takács et al. as the `implicit` library implements
/// it: each half-sweep refines every user's (then every item's) factor with a few CG steps on
/// (YᵀY + Yᵀ(Cᵤ − I)Y + λI)x = YᵀCᵤp(u), costing O(nnz·f + users·f²) instead of a dense solve per user.
/// </summary>
public static class Als
{
    public static (float[] UserFactors, float[] ItemFactors) Train(FeedbackMatrix matrix, AlsOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var f = options.Factors;
        var users = Initial(matrix.UserCount, f, options.Seed);
        var items = Initial(matrix.ItemCount, f, options.Seed + 1);
        for (var iteration = 0; iteration < options.Iterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Sweep(matrix.UserOffsets, matrix.UserItems, users, items, f, options, cancellationToken);
            Sweep(matrix.ItemOffsets, matrix.ItemUsers, items, users, f, options, cancellationToken);
        }
        return (users, items);
    }

    /// <summary>YᵀY + λI for the fixed side (f×f).</summary>
    public static float[] Gramian(float[] fixedFactors, int f, double regularization)
    {
        var count = fixedFactors.Length / f;
        var partials = new List<double[]>();
        var gram = new double[f * f];
        Parallel.For(0, count, () => new double[f * f], (row, _, local) =>
        {
            var y = fixedFactors.AsSpan(row * f, f);
            for (var a = 0; a < f; a++)
            {
                var ya = y[a];
                for (var b = 0; b < f; b++) local[a * f + b] += ya * y[b];
            }
            return local;
        }, local => { lock (partials) partials.Add(local); });
        foreach (var partial in partials)
            for (var k = 0; k < gram.Length; k++) gram[k] += partial[k];
        var result = new float[f * f];
        for (var k = 0; k < gram.Length; k++) result[k] = (float)gram[k];
        for (var a = 0; a < f; a++) result[a * f + a] += (float)regularization;
        return result;
    }

    /// <summary>Refines <paramref name="x"/> (one user's or item's factor) against the fixed side by CG.</summary>
    public static void SolveOne(ReadOnlySpan<int> observed, float[] fixedFactors, float[] gramian, int f, float alpha, int steps, Span<float> x, Span<float> scratch)
    {
        var r = scratch[..f];
        var p = scratch.Slice(f, f);
        var ap = scratch.Slice(2 * f, f);
        // r = YᵀCp − (YᵀY + λI + Yᵀ(C−I)Y)x
        MatVec(gramian, x, r, f);
        TensorPrimitives.Negate(r, r);
        foreach (var other in observed)
        {
            var y = fixedFactors.AsSpan(other * f, f);
            var weight = (1 + alpha) - alpha * TensorPrimitives.Dot(y, x);
            TensorPrimitives.MultiplyAdd(y, weight, r, r);
        }
        r.CopyTo(p);
        var rsOld = TensorPrimitives.Dot(r, r);
        for (var step = 0; step < steps && rsOld > 1e-20f; step++)
        {
            MatVec(gramian, p, ap, f);
            foreach (var other in observed)
            {
                var y = fixedFactors.AsSpan(other * f, f);
                TensorPrimitives.MultiplyAdd(y, alpha * TensorPrimitives.Dot(y, p), ap, ap);
            }
            var step_ = rsOld / TensorPrimitives.Dot(p, ap);
            TensorPrimitives.MultiplyAdd(p, step_, x, x);
            TensorPrimitives.MultiplyAdd(ap, -step_, r, r);
            var rsNew = TensorPrimitives.Dot(r, r);
            TensorPrimitives.MultiplyAdd(p, rsNew / rsOld, r, p);
            rsOld = rsNew;
        }
    }

    private static void Sweep(int[] offsets, int[] indices, float[] solving, float[] fixedFactors, int f, AlsOptions options, CancellationToken cancellationToken)
    {
        var gramian = Gramian(fixedFactors, f, options.Regularization);
        var alpha = (float)options.Alpha;
        Parallel.For(0, offsets.Length - 1, new ParallelOptions { CancellationToken = cancellationToken }, () => new float[3 * f], (row, _, scratch) =>
        {
            var observed = indices.AsSpan(offsets[row], offsets[row + 1] - offsets[row]);
            SolveOne(observed, fixedFactors, gramian, f, alpha, options.ConjugateGradientSteps, solving.AsSpan(row * f, f), scratch);
            return scratch;
        }, _ => { });
    }

    private static void MatVec(float[] matrix, ReadOnlySpan<float> vector, Span<float> result, int f)
    {
        for (var a = 0; a < f; a++) result[a] = TensorPrimitives.Dot(matrix.AsSpan(a * f, f), vector);
    }

    private static float[] Initial(int count, int f, int seed)
    {
        var random = new Random(seed);
        var factors = new float[(long)count * f];
        var scale = 0.01f;
        for (var k = 0; k < factors.Length; k++) factors[k] = (float)(random.NextDouble() * scale);
        return factors;
    }
}
