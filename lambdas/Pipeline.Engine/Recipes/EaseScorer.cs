using System.Numerics.Tensors;

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
            foreach (var item in history)
                TensorPrimitives.Add(scores, Weights.AsSpan((int)((long)item * n), n), scores);
            return;
        }
        for (var k = 0; k < history.Length; k++)
            TensorPrimitives.MultiplyAdd(Weights.AsSpan((int)((long)history[k] * n), n), weights[k], scores, scores);
    }
}
