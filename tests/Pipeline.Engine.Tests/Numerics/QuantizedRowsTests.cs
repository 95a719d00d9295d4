using Pipeline.Engine.Numerics;

namespace Pipeline.Engine.Tests.Numerics;

public sealed class QuantizedRowsTests
{
    // 131 rows: 32 groups of four and a remainder of three; width 44: a 12-column tail after AVX-512's 16-wide steps
    // and a 4-column tail after AVX2's 8-wide ones.
    private const int Rows = 131;
    private const int Width = 44;

    [Fact]
    public void RoundTrip_EveryEntryIsWithinHalfAStep_OneTwoHundredFiftyFourthOfItsRowsLargest()
    {
        var (matrix, _, _, _) = Random(seed: 1);
        var quantized = new QuantizedRows(matrix, Rows, Width);

        for (var i = 0; i < Rows; i++)
        {
            var largest = Largest(matrix, i);
            for (var c = 0; c < Width; c++)
                Assert.InRange(quantized[i, c] - matrix[i * Width + c], -largest / 254 * 1.0001f, largest / 254 * 1.0001f);
        }
        Assert.Equal(Rows * Width, quantized.Values.Length);
        Assert.Equal(Rows, quantized.Scales.Length);
    }

    [Theory]
    [InlineData(QuantizedKernel.Scalar)]
    [InlineData(QuantizedKernel.Avx2)]
    [InlineData(QuantizedKernel.Avx512)]
    [InlineData(QuantizedKernel.AvxVnni)]
    public void AddProducts_BothDotsInOnePass_EqualTheFloatDotsWithinTheInt8Bound(QuantizedKernel kernel)
    {
        if (!QuantizedRows.IsSupported(kernel)) return; // this machine cannot run it (lscpu flags); the others still check
        var (matrix, factors, x, y) = Random(seed: 2);
        var quantized = new QuantizedRows(matrix, Rows, Width);
        var result = Enumerable.Repeat(1f, Rows).ToArray();

        quantized.AddProducts(x, factors, y, result, kernel);

        for (var i = 0; i < Rows; i++)
        {
            double exact = 1, bound = 0;
            var step = Largest(matrix, i) / 254;
            for (var c = 0; c < Width; c++)
            {
                exact += factors[i] * matrix[i * Width + c] * x[c] + matrix[i * Width + c] * y[c];
                bound += step * (factors[i] * Math.Abs(x[c]) + Math.Abs(y[c]));
                // AVX-VNNI also rounds x and y to int16: half a step of 1/32,767 of their largest (both below 1 here).
                if (kernel == QuantizedKernel.AvxVnni) bound += Math.Abs(matrix[i * Width + c]) * (factors[i] + 1) / 65534 * 1.01;
            }
            Assert.InRange(result[i], exact - bound - 1e-4, exact + bound + 1e-4);
        }
    }

    [Theory]
    [InlineData(QuantizedKernel.Avx2)]
    [InlineData(QuantizedKernel.Avx512)]
    [InlineData(QuantizedKernel.AvxVnni)]
    public void SimdKernels_GiveTheScalarKernelsSums_ForOneAndForTwoProducts(QuantizedKernel kernel)
    {
        if (!QuantizedRows.IsSupported(kernel)) return;
        var (matrix, factors, x, y) = Random(seed: 3);
        var quantized = new QuantizedRows(matrix, Rows, Width);
        foreach (var second in new[] { y, [] })
        {
            var scalar = new float[Rows];
            var wide = new float[Rows];
            quantized.AddProducts(x, factors, second, scalar, QuantizedKernel.Scalar);
            quantized.AddProducts(x, factors, second, wide, kernel);
            // Summation order differs between kernels (float rounding), and AVX-VNNI rounds x and y to int16 (1/65,534 of
            // their largest): both far below what a wrong row, column or scale would give (|x|, |y| < 1, a < 2).
            for (var i = 0; i < Rows; i++) Assert.Equal(scalar[i], wide[i], 1e-4f * Largest(matrix, i) * Width);
        }
    }

    [Fact]
    public void AddProduct_OneDot_EqualsTwoDotsWithAZeroSecondVector()
    {
        var (matrix, factors, x, _) = Random(seed: 4);
        var quantized = new QuantizedRows(matrix, Rows, Width);
        var one = new float[Rows];
        var two = new float[Rows];

        quantized.AddProduct(x, one, factors);
        quantized.AddProducts(x, factors, new float[Width], two);

        for (var i = 0; i < Rows; i++) Assert.Equal(two[i], one[i], 1e-5f * Math.Max(1, Math.Abs(two[i])));
        Assert.Contains(one, v => Math.Abs(v) > 0.1);
    }

    [Fact]
    public void AddRow_AddsTheDequantizedRowTimesTheFactor()
    {
        var (matrix, _, _, _) = Random(seed: 5);
        var quantized = new QuantizedRows(matrix, Rows, Width);
        var target = Enumerable.Range(0, Width).Select(c => (float)c).ToArray();

        quantized.AddRow(7, 2.5f, target);

        for (var c = 0; c < Width; c++) Assert.Equal(c + 2.5f * quantized[7, c], target[c], 1e-5f);
    }

    [Fact]
    public void StoredValuesAndScales_RebuildTheSameRows()
    {
        var (matrix, factors, x, y) = Random(seed: 6);
        var quantized = new QuantizedRows(matrix, Rows, Width);
        var rebuilt = new QuantizedRows(quantized.Values.ToArray(), quantized.Scales.ToArray(), Width);
        var a = new float[Rows];
        var b = new float[Rows];

        quantized.AddProducts(x, factors, y, a);
        rebuilt.AddProducts(x, factors, y, b);

        Assert.Equal(a, b);
        Assert.Throws<ArgumentException>(() => new QuantizedRows(new sbyte[10], new float[3], 4));
        Assert.Throws<ArgumentException>(() => new QuantizedRows(new sbyte[4], [float.NaN], 4));
    }

    [Fact]
    public void ZeroRow_ContributesNothing()
    {
        var matrix = new float[2 * 3];
        matrix[3] = 2;
        var quantized = new QuantizedRows(matrix, 2, 3);
        var result = new float[2];

        quantized.AddProduct([1f, 1f, 1f], result);

        Assert.Equal([0f, 2f], result);
    }

    private static float Largest(float[] matrix, int row)
    {
        var largest = 0f;
        foreach (var v in matrix.AsSpan(row * Width, Width)) largest = Math.Max(largest, Math.Abs(v));
        return largest;
    }

    private static (float[] Matrix, float[] Factors, float[] X, float[] Y) Random(int seed)
    {
        var random = new Random(seed);
        var matrix = new float[Rows * Width];
        // Rows of different magnitudes, so a shared scale would fail the per-row bound.
        for (var k = 0; k < matrix.Length; k++) matrix[k] = (float)(random.NextDouble() - 0.5) * (1 + k / Width % 7) * (k / Width % 3 == 0 ? 100 : 1);
        var factors = Enumerable.Range(0, Rows).Select(_ => (float)(0.5 + random.NextDouble())).ToArray();
        var x = Enumerable.Range(0, Width).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var y = Enumerable.Range(0, Width).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        return (matrix, factors, x, y);
    }
}
