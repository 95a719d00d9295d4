using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Pipeline.Engine.Numerics;

/// <summary>
/// A row-major rows × width float matrix M stored as int8 with one float scale per row (the row's largest magnitude
/// maps to 127, so each entry is within scaleᵢ/2 = 1/254 of its row's largest): a quarter of float32's bytes in
/// memory, in the artifact and on the wire, and a quarter of the memory traffic of the products M·x that dominate a
/// low-rank filter's serving cost. <see cref="AddProducts"/> takes two dot products per row in one pass over its
/// bytes (the graph filter's low-pass and sharpening blocks share the same V); the kernels (<see cref="QuantizedKernel"/>)
/// are AVX-VNNI (x and y rounded to int16, integer multiply-adds), AVX-512 or AVX2 (int8 widened to float32, FMA) or
/// portable, the first the machine has, four rows at a time.
/// </summary>
public sealed class QuantizedRows
{
    private readonly sbyte[] _values;
    private readonly float[] _scales;

    /// <summary>Quantizes <paramref name="matrix"/> (rows × width, row-major).</summary>
    public QuantizedRows(ReadOnlySpan<float> matrix, int rows, int width)
    {
        if (rows < 0 || width < 1 || matrix.Length != (long)rows * width) throw new ArgumentException("matrix must be rows × width");
        Rows = rows;
        Width = width;
        _values = new sbyte[(long)rows * width];
        _scales = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            var row = matrix.Slice(i * width, width);
            var largest = 0f;
            foreach (var v in row) largest = Math.Max(largest, Math.Abs(v));
            if (largest == 0 || !float.IsFinite(largest)) continue;
            _scales[i] = largest / 127f;
            var inverse = 127f / largest;
            var target = _values.AsSpan(i * width, width);
            for (var c = 0; c < width; c++) target[c] = (sbyte)Math.Clamp(MathF.Round(row[c] * inverse), -127f, 127f);
        }
    }

    /// <summary>Stored int8 values (rows × width, row-major) and their row scales, as <see cref="Values"/> and <see cref="Scales"/> give them.</summary>
    public QuantizedRows(sbyte[] values, float[] scales, int width)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(scales);
        if (width < 1 || values.LongLength != (long)scales.Length * width) throw new ArgumentException("values must be scales × width");
        foreach (var s in scales)
            if (!float.IsFinite(s) || s < 0) throw new ArgumentException("row scales must be finite and not negative");
        _values = values;
        _scales = scales;
        Rows = scales.Length;
        Width = width;
    }

    public int Rows { get; }
    public int Width { get; }

    /// <summary>The int8 entries, rows × width, row-major (Mᵢⱼ ≈ Values[i·width + j] · Scales[i]).</summary>
    public ReadOnlySpan<sbyte> Values => _values;

    /// <summary>Each row's scale: its largest magnitude / 127.</summary>
    public ReadOnlySpan<float> Scales => _scales;

    /// <summary>Mᵢⱼ as stored (dequantized).</summary>
    public float this[int row, int column] => _values[(long)row * Width + column] * _scales[row];

    /// <summary>target += factor · Mᵢ (the dequantized row), e.g. to fold a user's history.</summary>
    public void AddRow(int row, float factor, Span<float> target)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row));
        if (target.Length < Width) throw new ArgumentException("target shorter than the width", nameof(target));
        var f = factor * _scales[row];
        ref var q = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_values), (nint)row * Width);
        ref var t = ref MemoryMarshal.GetReference(target);
        var c = 0;
        if (Avx512F.IsSupported)
        {
            var fv = Vector512.Create(f);
            for (; c + 16 <= Width; c += 16)
                Avx512F.FusedMultiplyAdd(Widen512(ref q, c), fv, Vector512.LoadUnsafe(ref t, (nuint)c)).StoreUnsafe(ref t, (nuint)c);
        }
        else if (Avx2.IsSupported && Fma.IsSupported)
        {
            var fv = Vector256.Create(f);
            for (; c + 8 <= Width; c += 8)
                Fma.MultiplyAdd(Widen256(ref q, c), fv, Vector256.LoadUnsafe(ref t, (nuint)c)).StoreUnsafe(ref t, (nuint)c);
        }
        for (; c < Width; c++) Unsafe.Add(ref t, c) += f * Unsafe.Add(ref q, c);
    }

    /// <summary>
    /// result[i] += aᵢ · (Mᵢ·x) for every row (aᵢ = 1 when <paramref name="rowFactors"/> is empty), through the widest
    /// kernel this machine has.
    /// </summary>
    public void AddProduct(ReadOnlySpan<float> x, Span<float> result, ReadOnlySpan<float> rowFactors = default) =>
        Run<OneProduct>(Widest, x, rowFactors, default, result);

    /// <summary>
    /// result[i] += aᵢ · (Mᵢ·x) + Mᵢ·y for every row, both products from one read of the row's bytes
    /// (aᵢ = 1 when <paramref name="rowFactors"/> is empty), through the widest kernel this machine has.
    /// </summary>
    public void AddProducts(ReadOnlySpan<float> x, ReadOnlySpan<float> rowFactors, ReadOnlySpan<float> y, Span<float> result) =>
        AddProducts(x, rowFactors, y, result, Widest);

    /// <summary>
    /// <see cref="AddProducts(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> through the
    /// given kernel (so each can be checked against the portable one); an empty <paramref name="y"/> takes only the
    /// first product. Throws <see cref="PlatformNotSupportedException"/> for a kernel this machine cannot run.
    /// </summary>
    public void AddProducts(ReadOnlySpan<float> x, ReadOnlySpan<float> rowFactors, ReadOnlySpan<float> y, Span<float> result, QuantizedKernel kernel)
    {
        if (!IsSupported(kernel)) throw new PlatformNotSupportedException($"this machine cannot run the {kernel} kernel");
        if (y.IsEmpty) Run<OneProduct>(kernel, x, rowFactors, default, result);
        else
        {
            if (y.Length < Width) throw new ArgumentException("y shorter than the width", nameof(y));
            Run<TwoProducts>(kernel, x, rowFactors, y, result);
        }
    }

    /// <summary>The widest kernel this machine runs.</summary>
    public static QuantizedKernel Widest => IsSupported(QuantizedKernel.AvxVnni) ? QuantizedKernel.AvxVnni
        : IsSupported(QuantizedKernel.Avx512) ? QuantizedKernel.Avx512
        : IsSupported(QuantizedKernel.Avx2) ? QuantizedKernel.Avx2 : QuantizedKernel.Scalar;

    public static bool IsSupported(QuantizedKernel kernel) => kernel switch
    {
        QuantizedKernel.AvxVnni => AvxVnni.IsSupported && Avx2.IsSupported,
        QuantizedKernel.Avx512 => Avx512F.IsSupported,
        QuantizedKernel.Avx2 => Avx2.IsSupported && Fma.IsSupported,
        _ => true,
    };

    private void Run<TDual>(QuantizedKernel kernel, ReadOnlySpan<float> x, ReadOnlySpan<float> rowFactors, ReadOnlySpan<float> y, Span<float> result)
        where TDual : struct, IFlag
    {
        Check(x, rowFactors, result);
        switch (kernel)
        {
            // int32 sums of at most width/16 pairs of 127·32,767 per lane: safe up to 4,096 columns.
            case QuantizedKernel.AvxVnni when Width <= MaxVnniWidth: VnniKernel<TDual>(x, rowFactors, y, result); break;
            case QuantizedKernel.AvxVnni: Avx2Kernel<TDual>(x, rowFactors, y, result); break;
            case QuantizedKernel.Avx512: Avx512Kernel<TDual>(x, rowFactors, y, result); break;
            case QuantizedKernel.Avx2: Avx2Kernel<TDual>(x, rowFactors, y, result); break;
            default: ScalarKernel<TDual>(x, rowFactors, y, result); break;
        }
    }

    private void ScalarKernel<TDual>(ReadOnlySpan<float> x, ReadOnlySpan<float> rowFactors, ReadOnlySpan<float> y, Span<float> result)
        where TDual : struct, IFlag
    {
        for (var i = 0; i < Rows; i++) Finish<TDual>(i, 0, 0, 0, x, rowFactors, y, result);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Avx512Kernel<TDual>(ReadOnlySpan<float> x, ReadOnlySpan<float> rowFactors, ReadOnlySpan<float> y, Span<float> result)
        where TDual : struct, IFlag
    {
        var width = Width;
        var full = width & ~15;
        ref var q = ref MemoryMarshal.GetArrayDataReference(_values);
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        var i = 0;
        for (; i + 4 <= Rows; i += 4)
        {
            ref var r0 = ref Unsafe.Add(ref q, (nint)i * width);
            ref var r1 = ref Unsafe.Add(ref r0, width);
            ref var r2 = ref Unsafe.Add(ref r1, width);
            ref var r3 = ref Unsafe.Add(ref r2, width);
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default;
            for (var c = 0; c < full; c += 16)
            {
                var xv = Vector512.LoadUnsafe(ref xr, (nuint)c);
                var v0 = Widen512(ref r0, c);
                var v1 = Widen512(ref r1, c);
                var v2 = Widen512(ref r2, c);
                var v3 = Widen512(ref r3, c);
                a0 = Avx512F.FusedMultiplyAdd(v0, xv, a0);
                a1 = Avx512F.FusedMultiplyAdd(v1, xv, a1);
                a2 = Avx512F.FusedMultiplyAdd(v2, xv, a2);
                a3 = Avx512F.FusedMultiplyAdd(v3, xv, a3);
                if (TDual.Value)
                {
                    var yv = Vector512.LoadUnsafe(ref yr, (nuint)c);
                    b0 = Avx512F.FusedMultiplyAdd(v0, yv, b0);
                    b1 = Avx512F.FusedMultiplyAdd(v1, yv, b1);
                    b2 = Avx512F.FusedMultiplyAdd(v2, yv, b2);
                    b3 = Avx512F.FusedMultiplyAdd(v3, yv, b3);
                }
            }
            Finish<TDual>(i, Vector512.Sum(a0), TDual.Value ? Vector512.Sum(b0) : 0, full, x, rowFactors, y, result);
            Finish<TDual>(i + 1, Vector512.Sum(a1), TDual.Value ? Vector512.Sum(b1) : 0, full, x, rowFactors, y, result);
            Finish<TDual>(i + 2, Vector512.Sum(a2), TDual.Value ? Vector512.Sum(b2) : 0, full, x, rowFactors, y, result);
            Finish<TDual>(i + 3, Vector512.Sum(a3), TDual.Value ? Vector512.Sum(b3) : 0, full, x, rowFactors, y, result);
        }
        for (; i < Rows; i++) Finish<TDual>(i, 0, 0, 0, x, rowFactors, y, result);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Avx2Kernel<TDual>(ReadOnlySpan<float> x, ReadOnlySpan<float> rowFactors, ReadOnlySpan<float> y, Span<float> result)
        where TDual : struct, IFlag
    {
        var width = Width;
        var full = width & ~7;
        ref var q = ref MemoryMarshal.GetArrayDataReference(_values);
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        var i = 0;
        for (; i + 4 <= Rows; i += 4)
        {
            ref var r0 = ref Unsafe.Add(ref q, (nint)i * width);
            ref var r1 = ref Unsafe.Add(ref r0, width);
            ref var r2 = ref Unsafe.Add(ref r1, width);
            ref var r3 = ref Unsafe.Add(ref r2, width);
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default;
            for (var c = 0; c < full; c += 8)
            {
                var xv = Vector256.LoadUnsafe(ref xr, (nuint)c);
                var v0 = Widen256(ref r0, c);
                var v1 = Widen256(ref r1, c);
                var v2 = Widen256(ref r2, c);
                var v3 = Widen256(ref r3, c);
                a0 = Fma.MultiplyAdd(v0, xv, a0);
                a1 = Fma.MultiplyAdd(v1, xv, a1);
                a2 = Fma.MultiplyAdd(v2, xv, a2);
                a3 = Fma.MultiplyAdd(v3, xv, a3);
                if (TDual.Value)
                {
                    var yv = Vector256.LoadUnsafe(ref yr, (nuint)c);
                    b0 = Fma.MultiplyAdd(v0, yv, b0);
                    b1 = Fma.MultiplyAdd(v1, yv, b1);
                    b2 = Fma.MultiplyAdd(v2, yv, b2);
                    b3 = Fma.MultiplyAdd(v3, yv, b3);
                }
            }
            Finish<TDual>(i, Vector256.Sum(a0), TDual.Value ? Vector256.Sum(b0) : 0, full, x, rowFactors, y, result);
            Finish<TDual>(i + 1, Vector256.Sum(a1), TDual.Value ? Vector256.Sum(b1) : 0, full, x, rowFactors, y, result);
            Finish<TDual>(i + 2, Vector256.Sum(a2), TDual.Value ? Vector256.Sum(b2) : 0, full, x, rowFactors, y, result);
            Finish<TDual>(i + 3, Vector256.Sum(a3), TDual.Value ? Vector256.Sum(b3) : 0, full, x, rowFactors, y, result);
        }
        for (; i < Rows; i++) Finish<TDual>(i, 0, 0, 0, x, rowFactors, y, result);
    }

    private const int MaxVnniWidth = 4096;
    [ThreadStatic] private static short[]? t_rounded;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void VnniKernel<TDual>(ReadOnlySpan<float> x, ReadOnlySpan<float> rowFactors, ReadOnlySpan<float> y, Span<float> result)
        where TDual : struct, IFlag
    {
        var width = Width;
        var rounded = t_rounded is { } buffer && buffer.Length >= 2 * width ? buffer : t_rounded = new short[Math.Max(2 * width, 64)];
        var xq = rounded.AsSpan(0, width);
        var yq = rounded.AsSpan(width, width);
        var xScale = RoundToInt16(x[..width], xq);
        var yScale = TDual.Value ? RoundToInt16(y[..width], yq) : 0f;
        var full = width & ~15;
        ref var q = ref MemoryMarshal.GetArrayDataReference(_values);
        ref var xr = ref MemoryMarshal.GetReference(xq);
        ref var yr = ref MemoryMarshal.GetReference(yq);
        ref var scales = ref MemoryMarshal.GetArrayDataReference(_scales);
        ref var target = ref MemoryMarshal.GetReference(result);
        ref var factors = ref MemoryMarshal.GetReference(rowFactors);
        var hasFactors = !rowFactors.IsEmpty;
        var xs = Vector128.Create(xScale);
        var ys = Vector128.Create(yScale);
        var i = 0;
        for (; i + 4 <= Rows; i += 4)
        {
            ref var r0 = ref Unsafe.Add(ref q, (nint)i * width);
            ref var r1 = ref Unsafe.Add(ref r0, width);
            ref var r2 = ref Unsafe.Add(ref r1, width);
            ref var r3 = ref Unsafe.Add(ref r2, width);
            Vector256<int> a0 = default, a1 = default, a2 = default, a3 = default;
            Vector256<int> b0 = default, b1 = default, b2 = default, b3 = default;
            for (var c = 0; c < full; c += 16)
            {
                var xv = Vector256.LoadUnsafe(ref xr, (nuint)c);
                var v0 = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref r0, (nuint)c));
                var v1 = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref r1, (nuint)c));
                var v2 = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref r2, (nuint)c));
                var v3 = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref r3, (nuint)c));
                a0 = AvxVnni.MultiplyWideningAndAdd(a0, v0, xv);
                a1 = AvxVnni.MultiplyWideningAndAdd(a1, v1, xv);
                a2 = AvxVnni.MultiplyWideningAndAdd(a2, v2, xv);
                a3 = AvxVnni.MultiplyWideningAndAdd(a3, v3, xv);
                if (TDual.Value)
                {
                    var yv = Vector256.LoadUnsafe(ref yr, (nuint)c);
                    b0 = AvxVnni.MultiplyWideningAndAdd(b0, v0, yv);
                    b1 = AvxVnni.MultiplyWideningAndAdd(b1, v1, yv);
                    b2 = AvxVnni.MultiplyWideningAndAdd(b2, v2, yv);
                    b3 = AvxVnni.MultiplyWideningAndAdd(b3, v3, yv);
                }
            }
            var sx = SumEach(a0, a1, a2, a3);
            var sy = TDual.Value ? SumEach(b0, b1, b2, b3) : default;
            if (full < width)
            {
                sx += Vector128.Create(Tail(ref r0, ref xr, full, width), Tail(ref r1, ref xr, full, width), Tail(ref r2, ref xr, full, width), Tail(ref r3, ref xr, full, width));
                if (TDual.Value)
                    sy += Vector128.Create(Tail(ref r0, ref yr, full, width), Tail(ref r1, ref yr, full, width), Tail(ref r2, ref yr, full, width), Tail(ref r3, ref yr, full, width));
            }
            var products = Vector128.ConvertToSingle(sx) * xs;
            if (hasFactors) products *= Vector128.LoadUnsafe(ref factors, (nuint)i);
            if (TDual.Value) products += Vector128.ConvertToSingle(sy) * ys;
            (Vector128.LoadUnsafe(ref target, (nuint)i) + Vector128.LoadUnsafe(ref scales, (nuint)i) * products).StoreUnsafe(ref target, (nuint)i);
        }
        for (; i < Rows; i++)
        {
            ref var row = ref Unsafe.Add(ref q, (nint)i * width);
            var product = Tail(ref row, ref xr, 0, width) * xScale * (hasFactors ? rowFactors[i] : 1f);
            if (TDual.Value) product += Tail(ref row, ref yr, 0, width) * yScale;
            result[i] += _scales[i] * product;
        }
    }

    /// <summary>The four vectors' lane sums, in order (three horizontal adds and one cross-half add).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> SumEach(Vector256<int> a, Vector256<int> b, Vector256<int> c, Vector256<int> d)
    {
        var all = Avx2.HorizontalAdd(Avx2.HorizontalAdd(a, b), Avx2.HorizontalAdd(c, d));
        return all.GetLower() + all.GetUpper();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Tail(ref sbyte row, ref short x, int from, int width)
    {
        var sum = 0;
        for (var c = from; c < width; c++) sum += Unsafe.Add(ref row, c) * Unsafe.Add(ref x, c);
        return sum;
    }

    /// <summary>target = round(source / scale) with scale = max|source| / 32,767 (returned; 0 for a zero vector).</summary>
    private static float RoundToInt16(ReadOnlySpan<float> source, Span<short> target)
    {
        var largest = 0f;
        foreach (var v in source) largest = Math.Max(largest, Math.Abs(v));
        if (largest == 0 || !float.IsFinite(largest))
        {
            target.Clear();
            return 0f;
        }
        var inverse = 32767f / largest;
        for (var c = 0; c < source.Length; c++) target[c] = (short)Math.Clamp(MathF.Round(source[c] * inverse), -32767f, 32767f);
        return largest / 32767f;
    }

    /// <summary>Adds the columns from <paramref name="from"/> on to the row's sums and the row's share to the result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Finish<TDual>(int i, float sx, float sy, int from, ReadOnlySpan<float> x, ReadOnlySpan<float> rowFactors, ReadOnlySpan<float> y, Span<float> result)
        where TDual : struct, IFlag
    {
        if (from < Width)
        {
            var row = _values.AsSpan(i * Width, Width);
            for (var c = from; c < Width; c++)
            {
                sx += row[c] * x[c];
                if (TDual.Value) sy += row[c] * y[c];
            }
        }
        result[i] += _scales[i] * ((rowFactors.IsEmpty ? 1f : rowFactors[i]) * sx + sy);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Widen512(ref sbyte row, int offset) =>
        Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref row, (nuint)offset)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Widen256(ref sbyte row, int offset) =>
        Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(
            Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(ref Unsafe.As<sbyte, byte>(ref Unsafe.Add(ref row, offset)))).AsSByte()));

    private void Check(ReadOnlySpan<float> x, ReadOnlySpan<float> rowFactors, Span<float> result)
    {
        if (x.Length < Width) throw new ArgumentException("x shorter than the width", nameof(x));
        if (result.Length < Rows) throw new ArgumentException("result shorter than the rows", nameof(result));
        if (!rowFactors.IsEmpty && rowFactors.Length < Rows) throw new ArgumentException("one factor per row", nameof(rowFactors));
    }

    // A compile-time flag: the JIT drops the second product's code from the single-product kernels.
    private interface IFlag { static abstract bool Value { get; } }
    private readonly struct OneProduct : IFlag { public static bool Value => false; }
    private readonly struct TwoProducts : IFlag { public static bool Value => true; }
}

/// <summary>The kernels of <see cref="QuantizedRows"/>' products.</summary>
public enum QuantizedKernel
{
    /// <summary>Portable float loop.</summary>
    Scalar,

    /// <summary>int8 → float32, 8 lanes, FMA.</summary>
    Avx2,

    /// <summary>int8 → float32, 16 lanes, FMA.</summary>
    Avx512,

    /// <summary>x and y rounded to int16 (one scale each, 1/65,534 of their largest), int8 → int16, 8 int32 lanes of
    /// pairwise multiply-adds (vpdpwssd): 16 products an instruction with no float conversion.</summary>
    AvxVnni,
}
