using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Pipeline.Engine.Numerics;

/// <summary>
/// In-place inverse of a dense symmetric positive definite matrix by the block sweep operator (Goodnight 1979):
/// sweeping every pivot block turns A into −A⁻¹. Each block step is a rank-<see cref="Block"/> update of the lower
/// triangle, done by a 4×16 (AVX2) or 4×32 (AVX-512) register-blocked float32 FMA kernel over column tiles that stay
/// in L2, split over the cores. Cost n³/2 multiply-adds, the same as Cholesky + triangular inverse + product, with one
/// simple kernel. float32 doubles the SIMD width and halves the memory traffic of float64 (EASE only ranks with the
/// result; its ridge λ keeps the matrix well conditioned); the small pivot blocks are inverted in float64.
/// Storage: row-major, <see cref="PaddedSize"/> × <see cref="PaddedSize"/>; only the lower triangle is read;
/// padding rows/columns must hold the identity so the padded matrix stays SPD (its inverse block is then I).
/// </summary>
public static class SymmetricInverse
{
    public const int Block = 96;
    private const int TileWidth = 256;

    public static int PaddedSize(int n) => Math.Max(Block, (n + Block - 1) / Block * Block);

    /// <summary>A zeroed padded matrix with the identity on the padding diagonal.</summary>
    public static float[] Allocate(int n, out int size)
    {
        size = PaddedSize(n);
        var a = new float[(long)size * size];
        for (var i = n; i < size; i++) a[(long)i * size + i] = 1;
        return a;
    }

    /// <summary>The inverse of the n×n SPD matrix in <paramref name="a"/> (full row-major, only the lower triangle read).</summary>
    public static float[] Invert(ReadOnlySpan<float> a, int n, CancellationToken cancellationToken = default)
    {
        var padded = Allocate(n, out var size);
        for (var i = 0; i < n; i++) a.Slice(i * n, i + 1).CopyTo(padded.AsSpan(i * size, i + 1));
        InvertInPlace(padded, size, cancellationToken);
        var result = new float[n * n];
        for (var i = 0; i < n; i++) padded.AsSpan(i * size, n).CopyTo(result.AsSpan(i * n, n));
        return result;
    }

    /// <summary>Replaces the SPD matrix (lower triangle of <paramref name="a"/>, size×size) by its full symmetric inverse.</summary>
    public static void InvertInPlace(float[] a, int size, CancellationToken cancellationToken = default)
    {
        if (size % Block != 0) throw new ArgumentException($"size must be a multiple of {Block}; use {nameof(PaddedSize)}", nameof(size));
        if ((long)size * size > a.LongLength) throw new ArgumentException("matrix buffer too small", nameof(a));
        var panel = new float[size * Block];
        var scaled = new float[size * Block];
        var pivot = new double[Block * Block];
        var pivotSingle = new float[Block * Block];
        var tiles = (size + TileWidth - 1) / TileWidth;
        for (var k0 = 0; k0 < size; k0 += Block)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ReadPanel(a, size, k0, panel);
            InvertPivot(panel, k0, pivot);
            for (var k = 0; k < pivot.Length; k++) pivotSingle[k] = (float)pivot[k];
            var start = k0;
            Parallel.For(0, size / 4, g => ScaleRows(panel, pivotSingle, scaled, g * 4));
            // Tiles from the right carry the least work (rows below them only); running the heavy left tiles first balances the cores.
            Parallel.For(0, tiles, () => new float[Block * TileWidth], (t, _, packed) =>
            {
                UpdateTile(a, size, start, panel, scaled, t * TileWidth, Math.Min(TileWidth, size - t * TileWidth), packed);
                return packed;
            }, _ => { });
            WriteBack(a, size, k0, scaled, pivotSingle);
        }
        // The sweep leaves −A⁻¹ in the lower triangle: negate it and mirror it up, a Block×Block tile at a time so
        // the column-wise writes stay in cache (row by row they miss on every element for a 1,000-item catalogue).
        Parallel.For(0, size / Block, bi => Mirror(a, size, bi * Block));
    }

    /// <summary>For the tile row starting at <paramref name="i0"/>: negates the lower tiles and writes their transposes above the diagonal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Mirror(float[] a, int size, int i0)
    {
        for (var j0 = 0; j0 <= i0; j0 += Block)
            for (var i = i0; i < i0 + Block; i++)
            {
                var row = (long)i * size;
                var end = Math.Min(j0 + Block, i + 1);
                for (var j = j0; j < end; j++)
                {
                    var value = -a[row + j];
                    a[row + j] = value;
                    a[(long)j * size + i] = value;
                }
            }
    }

    /// <summary>panel[i, p] = A(i, k0 + p) for every row i, read from the lower triangle.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadPanel(float[] a, int size, int k0, float[] panel)
    {
        for (var p = 0; p < Block; p++)
        {
            var kRow = (long)(k0 + p) * size;
            for (var i = 0; i <= k0 + p; i++) panel[i * Block + p] = a[kRow + i];
        }
        for (var i = k0 + 1; i < size; i++)
        {
            var row = (long)i * size + k0;
            var limit = Math.Min(Block, i - k0 + 1);
            for (var p = 0; p < limit; p++) panel[i * Block + p] = a[row + p];
        }
    }

    /// <summary>pivot = A_KK⁻¹ by the unblocked sweep on a float64 copy (Block³ work; it runs on one core, so SIMD rows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InvertPivot(float[] panel, int k0, double[] pivot)
    {
        for (var r = 0; r < Block; r++)
            for (var c = 0; c < Block; c++)
                pivot[r * Block + c] = panel[(k0 + r) * Block + c];
        for (var k = 0; k < Block; k++)
        {
            var d = pivot[k * Block + k];
            if (!(d > 0)) throw new ArgumentException("matrix is not positive definite");
            var pivotRow = pivot.AsSpan(k * Block, Block);
            for (var i = 0; i < Block; i++)
            {
                if (i == k) continue;
                var f = pivot[i * Block + k] / d;
                // The whole row at once (SIMD); its column k, which the sweep leaves as A(i,k)/d, is set after.
                if (f != 0) SubtractScaled(pivot.AsSpan(i * Block, Block), f, pivotRow);
                pivot[i * Block + k] = f;
            }
            for (var i = 0; i < Block; i++)
                if (i != k) pivot[k * Block + i] /= d;
            pivot[k * Block + k] = -1 / d;
        }
        for (var i = 0; i < pivot.Length; i++) pivot[i] = -pivot[i];
    }

    /// <summary>row −= f · source, Vector256 at a time (Block is a multiple of 4).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SubtractScaled(Span<double> row, double f, ReadOnlySpan<double> source)
    {
        ref var r = ref MemoryMarshal.GetReference(row);
        ref var s = ref MemoryMarshal.GetReference(source);
        var factor = Vector256.Create(f);
        for (var j = 0; j < Block; j += 4)
            Vector256.MultiplyAddEstimate(-factor, Vector256.LoadUnsafe(ref s, (nuint)j), Vector256.LoadUnsafe(ref r, (nuint)j)).StoreUnsafe(ref r, (nuint)j);
    }

    /// <summary>
    /// scaled[i, :] = panel[i, :] · pivot for four rows, 16 columns per pass with eight Vector256 accumulators
    /// (one span call per element pair would cost more in call overhead than the 96-long products themselves).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScaleRows(float[] panel, float[] pivot, float[] scaled, int firstRow)
    {
        ref var s = ref MemoryMarshal.GetArrayDataReference(panel);
        s = ref Unsafe.Add(ref s, firstRow * Block);
        ref var pRef = ref MemoryMarshal.GetArrayDataReference(pivot);
        ref var target = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(scaled), firstRow * Block);
        for (var c = 0; c < Block; c += 16)
        {
            Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
            Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
            for (var p = 0; p < Block; p++)
            {
                ref var row = ref Unsafe.Add(ref pRef, p * Block + c);
                var b0 = Vector256.LoadUnsafe(ref row);
                var b1 = Vector256.LoadUnsafe(ref row, 8);
                var s0 = Vector256.Create(Unsafe.Add(ref s, p));
                var s1 = Vector256.Create(Unsafe.Add(ref s, Block + p));
                var s2 = Vector256.Create(Unsafe.Add(ref s, 2 * Block + p));
                var s3 = Vector256.Create(Unsafe.Add(ref s, 3 * Block + p));
                c00 = Vector256.MultiplyAddEstimate(s0, b0, c00);
                c01 = Vector256.MultiplyAddEstimate(s0, b1, c01);
                c10 = Vector256.MultiplyAddEstimate(s1, b0, c10);
                c11 = Vector256.MultiplyAddEstimate(s1, b1, c11);
                c20 = Vector256.MultiplyAddEstimate(s2, b0, c20);
                c21 = Vector256.MultiplyAddEstimate(s2, b1, c21);
                c30 = Vector256.MultiplyAddEstimate(s3, b0, c30);
                c31 = Vector256.MultiplyAddEstimate(s3, b1, c31);
            }
            Store(ref Unsafe.Add(ref target, c), c00, c01);
            Store(ref Unsafe.Add(ref target, Block + c), c10, c11);
            Store(ref Unsafe.Add(ref target, 2 * Block + c), c20, c21);
            Store(ref Unsafe.Add(ref target, 3 * Block + c), c30, c31);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref float target, Vector256<float> low, Vector256<float> high)
    {
        low.StoreUnsafe(ref target);
        high.StoreUnsafe(ref target, 8);
    }

    /// <summary>A(i, j) −= Σp scaled[i, p] · panel[j, p] for rows i outside the pivot block and j in this tile, j ≤ i (+ up to 31).</summary>
    // Fully optimised from the first call: a one-off training in a fresh process would otherwise run its first
    // steps in unoptimised tier-0 code, several times slower for these SIMD loops.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UpdateTile(float[] a, int size, int k0, float[] panel, float[] scaled, int j0, int width, float[] packed)
    {
        // Packed transposed panel for the tile: packed[p, c] = panel[j0 + c, p], contiguous in c for the vector loads.
        for (var c = 0; c < width; c++)
            for (var p = 0; p < Block; p++)
                packed[p * TileWidth + c] = panel[(j0 + c) * Block + p];
        ref var aRef = ref MemoryMarshal.GetArrayDataReference(a);
        ref var sRef = ref MemoryMarshal.GetArrayDataReference(scaled);
        ref var pRef = ref MemoryMarshal.GetArrayDataReference(packed);
        // AVX-512 machines take 32 columns per kernel call, others 16; widths and sizes are multiples of 32.
        var wide = Vector512.IsHardwareAccelerated;
        var chunk = wide ? 32 : 16;
        for (var i = j0 & ~3; i < size; i += 4)
        {
            if (i >= k0 && i < k0 + Block) continue;
            var columns = Math.Min(width, (i + 4 - j0 + chunk - 1) & ~(chunk - 1));
            for (var c = 0; c < columns; c += chunk)
            {
                if (wide) Kernel512(ref aRef, size, i, j0 + c, ref Unsafe.Add(ref sRef, i * Block), ref Unsafe.Add(ref pRef, c));
                else Kernel(ref aRef, size, i, j0 + c, ref Unsafe.Add(ref sRef, i * Block), ref Unsafe.Add(ref pRef, c));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Kernel(ref float a, int size, int i, int j, ref float s, ref float packed)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
        for (var p = 0; p < Block; p++)
        {
            ref var row = ref Unsafe.Add(ref packed, p * TileWidth);
            var b0 = Vector256.LoadUnsafe(ref row);
            var b1 = Vector256.LoadUnsafe(ref row, 8);
            var s0 = Vector256.Create(Unsafe.Add(ref s, p));
            var s1 = Vector256.Create(Unsafe.Add(ref s, Block + p));
            var s2 = Vector256.Create(Unsafe.Add(ref s, 2 * Block + p));
            var s3 = Vector256.Create(Unsafe.Add(ref s, 3 * Block + p));
            c00 = Vector256.MultiplyAddEstimate(s0, b0, c00);
            c01 = Vector256.MultiplyAddEstimate(s0, b1, c01);
            c10 = Vector256.MultiplyAddEstimate(s1, b0, c10);
            c11 = Vector256.MultiplyAddEstimate(s1, b1, c11);
            c20 = Vector256.MultiplyAddEstimate(s2, b0, c20);
            c21 = Vector256.MultiplyAddEstimate(s2, b1, c21);
            c30 = Vector256.MultiplyAddEstimate(s3, b0, c30);
            c31 = Vector256.MultiplyAddEstimate(s3, b1, c31);
        }
        Subtract(ref Unsafe.Add(ref a, (nint)i * size + j), c00, c01);
        Subtract(ref Unsafe.Add(ref a, (nint)(i + 1) * size + j), c10, c11);
        Subtract(ref Unsafe.Add(ref a, (nint)(i + 2) * size + j), c20, c21);
        Subtract(ref Unsafe.Add(ref a, (nint)(i + 3) * size + j), c30, c31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Kernel512(ref float a, int size, int i, int j, ref float s, ref float packed)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        for (var p = 0; p < Block; p++)
        {
            ref var row = ref Unsafe.Add(ref packed, p * TileWidth);
            var b0 = Vector512.LoadUnsafe(ref row);
            var b1 = Vector512.LoadUnsafe(ref row, 16);
            var s0 = Vector512.Create(Unsafe.Add(ref s, p));
            var s1 = Vector512.Create(Unsafe.Add(ref s, Block + p));
            var s2 = Vector512.Create(Unsafe.Add(ref s, 2 * Block + p));
            var s3 = Vector512.Create(Unsafe.Add(ref s, 3 * Block + p));
            c00 = Vector512.MultiplyAddEstimate(s0, b0, c00);
            c01 = Vector512.MultiplyAddEstimate(s0, b1, c01);
            c10 = Vector512.MultiplyAddEstimate(s1, b0, c10);
            c11 = Vector512.MultiplyAddEstimate(s1, b1, c11);
            c20 = Vector512.MultiplyAddEstimate(s2, b0, c20);
            c21 = Vector512.MultiplyAddEstimate(s2, b1, c21);
            c30 = Vector512.MultiplyAddEstimate(s3, b0, c30);
            c31 = Vector512.MultiplyAddEstimate(s3, b1, c31);
        }
        Subtract512(ref Unsafe.Add(ref a, (nint)i * size + j), c00, c01);
        Subtract512(ref Unsafe.Add(ref a, (nint)(i + 1) * size + j), c10, c11);
        Subtract512(ref Unsafe.Add(ref a, (nint)(i + 2) * size + j), c20, c21);
        Subtract512(ref Unsafe.Add(ref a, (nint)(i + 3) * size + j), c30, c31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Subtract512(ref float target, Vector512<float> low, Vector512<float> high)
    {
        (Vector512.LoadUnsafe(ref target) - low).StoreUnsafe(ref target);
        (Vector512.LoadUnsafe(ref target, 16) - high).StoreUnsafe(ref target, 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Subtract(ref float target, Vector256<float> low, Vector256<float> high)
    {
        (Vector256.LoadUnsafe(ref target) - low).StoreUnsafe(ref target);
        (Vector256.LoadUnsafe(ref target, 8) - high).StoreUnsafe(ref target, 8);
    }

    /// <summary>A_iK = scaled rows below the block, A_Kj = scaled rows left of it, A_KK = −pivot⁻¹.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteBack(float[] a, int size, int k0, float[] scaled, float[] pivot)
    {
        for (var i = k0 + Block; i < size; i++)
            scaled.AsSpan(i * Block, Block).CopyTo(a.AsSpan((int)((long)i * size + k0), Block));
        for (var p = 0; p < Block; p++)
        {
            var row = (long)(k0 + p) * size;
            for (var j = 0; j < k0; j++) a[row + j] = scaled[j * Block + p];
            for (var c = 0; c <= p; c++) a[row + k0 + c] = -pivot[p * Block + c];
        }
    }
}
