using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Pipeline.Engine.Recipes;

/// <summary>EASE scoring: xᵤ·B is the SIMD (weighted) sum of B's rows for the user's items; a new event just adds a row.</summary>
public sealed class EaseScorer(float[] weights, int itemCount, double lambda) : IUserScorer
{
    public UserPersonalizationAlgorithm Algorithm => UserPersonalizationAlgorithm.Ease;

    public int ItemCount { get; } = (long)itemCount * itemCount == weights.LongLength
        ? itemCount
        : throw new ArgumentException("EASE weights must be items × items", nameof(weights));

    public int FactorLength => 0;

    /// <summary>B, row-major, float32.</summary>
    public float[] Weights { get; } = weights;

    /// <summary>The L2 weight B was trained with.</summary>
    public double Lambda { get; } = lambda;

    public ReadOnlySpan<float> TrainedFactor(int user) => [];

    public float[]? FoldIn(ReadOnlySpan<int> history, ReadOnlySpan<float> start) => null;

    public void Score(ReadOnlySpan<int> history, ReadOnlySpan<float> weights, ReadOnlySpan<float> factor, Span<float> scores)
    {
        var n = ItemCount;
        scores = scores[..n];
        scores.Clear();
        if (weights.IsEmpty)
        {
            foreach (var item in history) AddRow(Weights.AsSpan((int)((long)item * n), n), 1f, false, scores);
            return;
        }
        for (var k = 0; k < history.Length; k++) AddRow(Weights.AsSpan((int)((long)history[k] * n), n), weights[k], true, scores);
    }

    /// <summary>
    /// scores += row (× weight when <paramref name="scaled"/>), multiply then add as TensorPrimitives.MultiplyAdd does.
    /// Hand-vectorised and fully optimised from the first call: tuning scores thousands of users within the
    /// runtime's first tiering window, where the generic span primitives would still run as tier-0 code.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddRow(ReadOnlySpan<float> row, float weight, bool scaled, Span<float> scores)
    {
        ref var r = ref MemoryMarshal.GetReference(row);
        ref var s = ref MemoryMarshal.GetReference(scores);
        var n = (nuint)scores.Length;
        nuint j = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var w = Vector512.Create(weight);
            for (; j + 16 <= n; j += 16)
            {
                var x = Vector512.LoadUnsafe(ref r, j);
                (scaled ? x * w + Vector512.LoadUnsafe(ref s, j) : x + Vector512.LoadUnsafe(ref s, j)).StoreUnsafe(ref s, j);
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var w = Vector256.Create(weight);
            for (; j + 8 <= n; j += 8)
            {
                var x = Vector256.LoadUnsafe(ref r, j);
                (scaled ? x * w + Vector256.LoadUnsafe(ref s, j) : x + Vector256.LoadUnsafe(ref s, j)).StoreUnsafe(ref s, j);
            }
        }
        for (; j < n; j++)
            Unsafe.Add(ref s, j) = scaled ? Unsafe.Add(ref r, j) * weight + Unsafe.Add(ref s, j) : Unsafe.Add(ref r, j) + Unsafe.Add(ref s, j);
    }
}
