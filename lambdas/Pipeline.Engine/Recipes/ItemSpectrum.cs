using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Pipeline.Engine.Numerics;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// The leading right singular vectors of the normalised feedback matrix R̃ = D_U^−½·R·D_I^−½ (GF-CF's "ideal
/// low-pass filter" is V·Vᵀ over them), by randomised subspace iteration (Halko, Martinsson and Tropp 2011):
/// a Gaussian start of rank + oversampling columns, power iterations through R̃ and R̃ᵀ as sparse products
/// (parallel over rows, SIMD over the block), each followed by orthonormalisation through the eigenvectors of the
/// small Gram matrix, then the singular vectors from the Gram matrix of R̃ᵀQ. Blocks are float32, Gram matrices
/// float64: the result only ranks items.
/// </summary>
public static class ItemSpectrum
{
    public const int Oversampling = 16;

    /// <summary>V (items × rank, row-major float32, columns by descending singular value) and the singular values.</summary>
    public static (float[] Vectors, double[] Values) Compute(FeedbackMatrix matrix, int rank, int powerIterations = 4, int seed = 7,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var n = matrix.ItemCount;
        var m = matrix.UserCount;
        var l = Math.Min(rank + Oversampling, Math.Min(n, m));
        rank = Math.Min(rank, l);
        var userScale = new float[m];
        for (var v = 0; v < m; v++) userScale[v] = 1f / MathF.Sqrt(Math.Max(1, matrix.UserOffsets[v + 1] - matrix.UserOffsets[v]));
        var itemScale = new float[n];
        for (var i = 0; i < n; i++) itemScale[i] = 1f / MathF.Sqrt(Math.Max(1, matrix.Popularity(i)));

        var z = new float[(long)n * l];
        var random = new Random(seed);
        for (long k = 0; k < z.LongLength; k++)
        {
            // Box-Muller: a Gaussian start keeps every direction equally likely.
            var u1 = 1.0 - random.NextDouble();
            z[k] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }
        var y = new float[(long)m * l];
        for (var iteration = 0; iteration <= powerIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ByUsers(matrix, userScale, itemScale, z, y, l);          // Y = R̃·Z
            Orthonormalise(y, m, l);
            ByItems(matrix, userScale, itemScale, y, z, l);          // Z = R̃ᵀ·Y
            if (iteration < powerIterations) Orthonormalise(z, n, l);
        }
        // Z = R̃ᵀQ = V·Σ·Wᵀ: the eigenvectors of ZᵀZ give W and Σ², and V = Z·W·Σ⁻¹.
        var (values, vectors) = JacobiEigen.Decompose(Gram(z, n, l), l);
        var transform = new float[l * rank];
        var singular = new double[rank];
        for (var c = 0; c < rank; c++)
        {
            singular[c] = Math.Sqrt(Math.Max(values[c], 0));
            var inverse = singular[c] > 0 ? 1 / singular[c] : 0;
            for (var r = 0; r < l; r++) transform[r * rank + c] = (float)(vectors[r * l + c] * inverse);
        }
        return (Multiply(z, n, l, transform, rank), singular);
    }

    private static void ByUsers(FeedbackMatrix matrix, float[] userScale, float[] itemScale, float[] source, float[] target, int l) =>
        Parallel.For(0, matrix.UserCount, v =>
        {
            var destination = target.AsSpan().Slice(checked(v * l), l);
            destination.Clear();
            var scale = userScale[v];
            foreach (var i in matrix.ItemsOf(v)) Axpy(scale * itemScale[i], source.AsSpan().Slice(checked(i * l), l), destination);
        });

    private static void ByItems(FeedbackMatrix matrix, float[] userScale, float[] itemScale, float[] source, float[] target, int l) =>
        Parallel.For(0, matrix.ItemCount, i =>
        {
            var destination = target.AsSpan().Slice(checked(i * l), l);
            destination.Clear();
            var scale = itemScale[i];
            foreach (var v in matrix.UsersOf(i)) Axpy(scale * userScale[v], source.AsSpan().Slice(checked(v * l), l), destination);
        });

    /// <summary>
    /// Makes the columns of the rows × l block orthonormal. Cholesky QR: X ← X·L^−ᵀ from XᵀX = L·Lᵀ, l³/3 operations
    /// (the eigen-decomposition below costs sweeps of l³ each: at rank 384 it was most of the training time). When the
    /// block has lost a direction (a pivot at round-off level), X ← X·W·Λ^−½ from XᵀX = WΛWᵀ, which drops it instead.
    /// </summary>
    private static void Orthonormalise(float[] x, int rows, int l)
    {
        var gram = Gram(x, rows, l);
        if (InverseCholeskyTranspose(gram, l) is { } upper)
        {
            var orthonormal = Multiply(x, rows, l, upper, l);
            Array.Copy(orthonormal, x, orthonormal.LongLength);
            return;
        }
        var (values, vectors) = JacobiEigen.Decompose(gram, l);
        var transform = new float[l * l];
        var largest = Math.Max(values[0], 1e-30);
        for (var c = 0; c < l; c++)
        {
            // Directions the block no longer spans (round-off) are dropped rather than blown up.
            var inverse = values[c] > largest * 1e-10 ? 1 / Math.Sqrt(values[c]) : 0;
            for (var r = 0; r < l; r++) transform[r * l + c] = (float)(vectors[r * l + c] * inverse);
        }
        var result = Multiply(x, rows, l, transform, l);
        Array.Copy(result, x, result.LongLength);
    }

    /// <summary>L^−ᵀ (row-major float32, upper triangular) for the Cholesky factor of the l × l matrix, or null when a pivot is not clearly positive.</summary>
    private static float[]? InverseCholeskyTranspose(double[] gram, int l)
    {
        var factor = (double[])gram.Clone();
        var largest = 0.0;
        for (var i = 0; i < l; i++) largest = Math.Max(largest, gram[i * l + i]);
        for (var j = 0; j < l; j++)
        {
            var pivot = factor[j * l + j];
            for (var k = 0; k < j; k++) pivot -= factor[j * l + k] * factor[j * l + k];
            if (!(pivot > largest * 1e-9)) return null;
            var root = Math.Sqrt(pivot);
            factor[j * l + j] = root;
            for (var i = j + 1; i < l; i++)
            {
                var sum = factor[i * l + j];
                for (var k = 0; k < j; k++) sum -= factor[i * l + k] * factor[j * l + k];
                factor[i * l + j] = sum / root;
            }
        }
        // Row c of L^−ᵀ is column c of L^−1: solve L·y = e_c by forward substitution.
        var result = new float[l * l];
        var y = new double[l];
        for (var c = 0; c < l; c++)
        {
            Array.Clear(y);
            for (var i = c; i < l; i++)
            {
                var sum = i == c ? 1.0 : 0.0;
                for (var k = c; k < i; k++) sum -= factor[i * l + k] * y[k];
                y[i] = sum / factor[i * l + i];
            }
            for (var i = c; i < l; i++) result[c * l + i] = (float)y[i];
        }
        return result;
    }

    /// <summary>XᵀX for a row-major rows × l block, float64, summed over row chunks on every core.</summary>
    private static double[] Gram(float[] x, int rows, int l)
    {
        const int Chunk = 256;
        var total = new double[l * l];
        var gate = new object();
        Parallel.For(0, (rows + Chunk - 1) / Chunk, () => new float[l * l], (chunk, _, partial) =>
        {
            var end = Math.Min(rows, (chunk + 1) * Chunk);
            for (var r = chunk * Chunk; r < end; r++)
            {
                var row = x.AsSpan().Slice(checked(r * l), l);
                for (var a = 0; a < l; a++)
                    if (row[a] != 0f) Axpy(row[a], row, partial.AsSpan(a * l, l));
            }
            return partial;
        }, partial =>
        {
            lock (gate)
                for (var k = 0; k < partial.Length; k++) total[k] += partial[k];
        });
        return total;
    }

    /// <summary>X (rows × l) · M (l × c), row-major float32.</summary>
    private static float[] Multiply(float[] x, int rows, int l, float[] m, int c)
    {
        var result = new float[(long)rows * c];
        Parallel.For(0, rows, r =>
        {
            var source = x.AsSpan().Slice(checked(r * l), l);
            var destination = result.AsSpan().Slice(checked(r * c), c);
            for (var a = 0; a < l; a++)
                if (source[a] != 0f) Axpy(source[a], m.AsSpan(a * c, c), destination);
        });
        return result;
    }

    /// <summary>destination += alpha · source.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Axpy(float alpha, ReadOnlySpan<float> source, Span<float> destination)
    {
        ref var s = ref MemoryMarshal.GetReference(source);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var n = (nuint)destination.Length;
        nuint j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var a = Vector256.Create(alpha);
            for (; j + 8 <= n; j += 8)
                Vector256.FusedMultiplyAdd(a, Vector256.LoadUnsafe(ref s, j), Vector256.LoadUnsafe(ref d, j)).StoreUnsafe(ref d, j);
        }
        for (; j < n; j++) Unsafe.Add(ref d, j) += alpha * Unsafe.Add(ref s, j);
    }
}
