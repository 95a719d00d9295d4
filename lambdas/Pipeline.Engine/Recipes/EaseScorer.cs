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
            foreach (var item in history) AddRow(Weights.AsSpan((int)((long)item * n), n), scores);
            return;
        }
        for (var k = 0; k < history.Length; k++) AddScaledRow(Weights.AsSpan((int)((long)history[k] * n), n), weights[k], scores);
    }

    // Hand-vectorised (four vectors per step, so several row loads are in flight: B's rows come from memory) and
    // fully optimised from the first call: tuning scores thousands of users within the runtime's first tiering
    // window, where generic span primitives would still run as tier-0 code.

    /// <summary>scores += row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddRow(ReadOnlySpan<float> row, Span<float> scores)
    {
        if (row.Length < scores.Length) throw new ArgumentException("row shorter than scores", nameof(row));
        ref var r = ref MemoryMarshal.GetReference(row);
        ref var s = ref MemoryMarshal.GetReference(scores);
        var n = (nuint)scores.Length;
        nuint j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var w = (nuint)Vector256<float>.Count;
            for (; j + 4 * w <= n; j += 4 * w)
            {
                (Vector256.LoadUnsafe(ref r, j) + Vector256.LoadUnsafe(ref s, j)).StoreUnsafe(ref s, j);
                (Vector256.LoadUnsafe(ref r, j + w) + Vector256.LoadUnsafe(ref s, j + w)).StoreUnsafe(ref s, j + w);
                (Vector256.LoadUnsafe(ref r, j + 2 * w) + Vector256.LoadUnsafe(ref s, j + 2 * w)).StoreUnsafe(ref s, j + 2 * w);
                (Vector256.LoadUnsafe(ref r, j + 3 * w) + Vector256.LoadUnsafe(ref s, j + 3 * w)).StoreUnsafe(ref s, j + 3 * w);
            }
            for (; j + w <= n; j += w) (Vector256.LoadUnsafe(ref r, j) + Vector256.LoadUnsafe(ref s, j)).StoreUnsafe(ref s, j);
        }
        for (; j < n; j++) Unsafe.Add(ref s, j) += Unsafe.Add(ref r, j);
    }

    /// <summary>scores += row × weight, multiply then add (not fused), as TensorPrimitives.MultiplyAdd does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddScaledRow(ReadOnlySpan<float> row, float weight, Span<float> scores)
    {
        if (row.Length < scores.Length) throw new ArgumentException("row shorter than scores", nameof(row));
        ref var r = ref MemoryMarshal.GetReference(row);
        ref var s = ref MemoryMarshal.GetReference(scores);
        var n = (nuint)scores.Length;
        nuint j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var w = (nuint)Vector256<float>.Count;
            var f = Vector256.Create(weight);
            for (; j + 4 * w <= n; j += 4 * w)
            {
                (Vector256.LoadUnsafe(ref r, j) * f + Vector256.LoadUnsafe(ref s, j)).StoreUnsafe(ref s, j);
                (Vector256.LoadUnsafe(ref r, j + w) * f + Vector256.LoadUnsafe(ref s, j + w)).StoreUnsafe(ref s, j + w);
                (Vector256.LoadUnsafe(ref r, j + 2 * w) * f + Vector256.LoadUnsafe(ref s, j + 2 * w)).StoreUnsafe(ref s, j + 2 * w);
                (Vector256.LoadUnsafe(ref r, j + 3 * w) * f + Vector256.LoadUnsafe(ref s, j + 3 * w)).StoreUnsafe(ref s, j + 3 * w);
            }
            for (; j + w <= n; j += w) (Vector256.LoadUnsafe(ref r, j) * f + Vector256.LoadUnsafe(ref s, j)).StoreUnsafe(ref s, j);
        }
        for (; j < n; j++) Unsafe.Add(ref s, j) = Unsafe.Add(ref r, j) * weight + Unsafe.Add(ref s, j);
    }
}
