using Pipeline.Engine.Numerics;

namespace Pipeline.Engine.Tests.Numerics;

public sealed class QuantizedRowsTests
{
    // 130 rows: two full tiles of 64 and a partial one.
    private const int Rows = 130;
    private const int Width = 24;

    [Fact]
    public void AddProductScalar_AddsEachRowsProductWithinTheInt8Step()
    {
        var (matrix, factors, x) = Random(seed: 3);
        var quantized = new QuantizedRows(matrix, Rows, Width, factors);
        var result = Enumerable.Repeat(1f, Rows).ToArray();

        quantized.AddProductScalar(x, result);

        AssertClose(matrix, factors, x, result);
    }

    [Fact]
    public void AddProduct_TheMachinesWidestKernel_EqualsTheScalarKernel()
    {
        var (matrix, factors, x) = Random(seed: 4);
        var quantized = new QuantizedRows(matrix, Rows, Width, factors);
        var scalar = Enumerable.Repeat(1f, Rows).ToArray();
        var wide = Enumerable.Repeat(1f, Rows).ToArray();

        quantized.AddProductScalar(x, scalar);
        quantized.AddProduct(x, wide);

        for (var i = 0; i < Rows; i++) Assert.Equal(scalar[i], wide[i], 1e-4f * Math.Max(1, Math.Abs(scalar[i])));
        AssertClose(matrix, factors, x, wide);
    }

    [Fact]
    public void Constructor_ZeroRow_ContributesNothing()
    {
        var matrix = new float[2 * 3];
        matrix[3] = 2;
        var quantized = new QuantizedRows(matrix, 2, 3);
        var result = new float[2];

        quantized.AddProduct([1f, 1f, 1f], result);

        Assert.Equal([0f, 2f], result);
    }

    private static void AssertClose(float[] matrix, float[] factors, float[] x, float[] result)
    {
        for (var i = 0; i < Rows; i++)
        {
            var row = matrix.AsSpan(i * Width, Width);
            double exact = 1, bound = 0;
            var largest = 0f;
            foreach (var v in row) largest = Math.Max(largest, Math.Abs(v));
            for (var c = 0; c < Width; c++)
            {
                exact += factors[i] * row[c] * x[c];
                bound += factors[i] * largest / 254 * Math.Abs(x[c]);
            }
            Assert.InRange(result[i], exact - bound - 1e-4, exact + bound + 1e-4);
        }
    }

    private static (float[] Matrix, float[] Factors, float[] X) Random(int seed)
    {
        var random = new Random(seed);
        var matrix = new float[Rows * Width];
        for (var k = 0; k < matrix.Length; k++) matrix[k] = (float)(random.NextDouble() - 0.5) * (1 + k / Width % 7);
        var factors = Enumerable.Range(0, Rows).Select(_ => (float)(0.5 + random.NextDouble())).ToArray();
        var x = Enumerable.Range(0, Width).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        return (matrix, factors, x);
    }
}
