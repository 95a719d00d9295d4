using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Pipeline.Engine.Numerics;

/// <summary>
/// An int8 copy of a row-major rows × width float matrix M for the product M·x, the serving cost of a low-rank
/// filter: at 41k items × rank 256 the float32 matrix is 42 MB read per request, which memory bandwidth alone makes
/// ~2 ms on one core; int8 reads a quarter of it. Each row keeps its own scale (its largest magnitude maps to 127),
/// so every row's relative error is below 1/254 of its largest entry. Rows are stored in tiles of <see cref="Tile"/>:
/// for each tile and each column, the tile's 64 bytes side by side, so the product streams the bytes once with
/// the tile's 64 sums held in registers. Optional row factors multiply each row (folded into its scale).
/// </summary>
public sealed class QuantizedRows
{
    public const int Tile = 64;
    private readonly sbyte[] _values;
    private readonly float[] _scales;

    public QuantizedRows(ReadOnlySpan<float> matrix, int rows, int width, ReadOnlySpan<float> rowFactors = default)
    {
        if (rows < 0 || width < 1 || matrix.Length != (long)rows * width) throw new ArgumentException("matrix must be rows × width");
        if (!rowFactors.IsEmpty && rowFactors.Length != rows) throw new ArgumentException("one factor per row", nameof(rowFactors));
        Rows = rows;
        Width = width;
        var tiles = (rows + Tile - 1) / Tile;
        _values = new sbyte[(long)tiles * Tile * width];
        _scales = new float[tiles * Tile];
        for (var i = 0; i < rows; i++)
        {
            var row = matrix.Slice(i * width, width);
            var largest = 0f;
            foreach (var v in row) largest = Math.Max(largest, Math.Abs(v));
            if (largest == 0) continue;
            _scales[i] = largest / 127f * (rowFactors.IsEmpty ? 1f : rowFactors[i]);
            var inverse = 127f / largest;
            var tileStart = (long)(i / Tile) * Tile * width;
            var lane = i % Tile;
            for (var c = 0; c < width; c++) _values[tileStart + c * Tile + lane] = (sbyte)MathF.Round(row[c] * inverse);
        }
    }

    public int Rows { get; }
    public int Width { get; }

    /// <summary>result[i] += factorᵢ · (M·x)[i] for every row, through the widest kernel this machine has.</summary>
    public void AddProduct(ReadOnlySpan<float> x, Span<float> result)
    {
        if (Avx512F.IsSupported) AddProductAvx512(x, result);
        else AddProductScalar(x, result);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddProductAvx512(ReadOnlySpan<float> x, Span<float> result)
    {
        Check(x, result);
        ref var q = ref MemoryMarshal.GetArrayDataReference(_values);
        ref var xRef = ref MemoryMarshal.GetReference(x);
        ref var scales = ref MemoryMarshal.GetArrayDataReference(_scales);
        ref var target = ref MemoryMarshal.GetReference(result);
        var fullTiles = Rows / Tile;
        for (var t = 0; t < fullTiles; t++)
        {
            ref var tile = ref Unsafe.Add(ref q, (nint)t * Tile * Width);
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (var c = 0; c < Width; c++)
            {
                ref var column = ref Unsafe.Add(ref tile, c * Tile);
                var f = Vector512.Create(Unsafe.Add(ref xRef, c));
                a0 = Avx512F.FusedMultiplyAdd(Widen(ref column, 0), f, a0);
                a1 = Avx512F.FusedMultiplyAdd(Widen(ref column, 16), f, a1);
                a2 = Avx512F.FusedMultiplyAdd(Widen(ref column, 32), f, a2);
                a3 = Avx512F.FusedMultiplyAdd(Widen(ref column, 48), f, a3);
            }
            var row = (nuint)(t * Tile);
            Accumulate(ref target, ref scales, row, a0);
            Accumulate(ref target, ref scales, row + 16, a1);
            Accumulate(ref target, ref scales, row + 32, a2);
            Accumulate(ref target, ref scales, row + 48, a3);
        }
        // The last, partial tile by the scalar loop.
        for (var i = fullTiles * Tile; i < Rows; i++) result[i] += RowProduct(i, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(ref float target, ref float scales, nuint row, Vector512<float> sums) =>
        Avx512F.FusedMultiplyAdd(sums, Vector512.LoadUnsafe(ref scales, row), Vector512.LoadUnsafe(ref target, row)).StoreUnsafe(ref target, row);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Widen(ref sbyte column, int offset) =>
        Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref column, (nuint)offset)));

    /// <summary>The portable kernel of <see cref="AddProduct"/> (public: the reference the SIMD kernel is tested against).</summary>
    public void AddProductScalar(ReadOnlySpan<float> x, Span<float> result)
    {
        Check(x, result);
        for (var i = 0; i < Rows; i++) result[i] += RowProduct(i, x);
    }

    private float RowProduct(int i, ReadOnlySpan<float> x)
    {
        var tileStart = (long)(i / Tile) * Tile * Width;
        var lane = i % Tile;
        var sum = 0f;
        for (var c = 0; c < Width; c++) sum += _values[tileStart + c * Tile + lane] * x[c];
        return sum * _scales[i];
    }

    private void Check(ReadOnlySpan<float> x, Span<float> result)
    {
        if (x.Length < Width) throw new ArgumentException("x shorter than the width", nameof(x));
        if (result.Length < Rows) throw new ArgumentException("result shorter than the rows", nameof(result));
    }
}
