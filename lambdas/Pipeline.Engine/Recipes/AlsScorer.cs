using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Pipeline.Engine.Recipes;

/// <summary>ALS scoring: item factors · user factor. New events fold the user in by CG against the fixed item factors.</summary>
public sealed class AlsScorer : IUserScorer
{
    private readonly float[] _gramian;

    public AlsScorer(float[] userFactors, float[] itemFactors, AlsOptions options)
    {
        var f = options.Factors;
        if (userFactors.Length % f != 0 || itemFactors.Length % f != 0) throw new ArgumentException("factor arrays must be multiples of the factor count");
        UserFactors = userFactors;
        ItemFactors = itemFactors;
        Options = options;
        ItemCount = itemFactors.Length / f;
        _gramian = Als.Gramian(itemFactors, f, options.Regularization);
    }

    public UserPersonalizationAlgorithm Algorithm => UserPersonalizationAlgorithm.Als;
    public AlsOptions Options { get; }
    public float[] UserFactors { get; }
    public float[] ItemFactors { get; }
    public int ItemCount { get; }
    public int FactorLength => Options.Factors;

    public ReadOnlySpan<float> TrainedFactor(int user) => UserFactors.AsSpan(user * FactorLength, FactorLength);

    public float[] FoldIn(ReadOnlySpan<int> history, ReadOnlySpan<float> start)
    {
        var f = FactorLength;
        var x = new float[f];
        if (start.Length == f) start.CopyTo(x);
        var scratch = new float[3 * f];
        // More CG steps than a training sweep: there is no next sweep to finish the job.
        Als.SolveOne(history, ItemFactors, _gramian, f, (float)Options.Alpha, Math.Max(Options.ConjugateGradientSteps, f / 2), x, scratch);
        return x;
    }

    public void Score(ReadOnlySpan<int> history, ReadOnlySpan<float> weights, ReadOnlySpan<float> factor, Span<float> scores)
    {
        var f = FactorLength;
        var items = ItemFactors.AsSpan();
        if (Vector512.IsHardwareAccelerated && f == 64 && factor.Length == 64)
        {
            ScoreWide(items, factor, scores[..ItemCount]);
            return;
        }
        for (var i = 0; i < ItemCount; i++) scores[i] = TensorPrimitives.Dot(items.Slice(i * f, f), factor);
    }

    /// <summary>The default 64 factors as four AVX-512 registers held across the whole catalogue: one pass, no per-item call.</summary>
    private static void ScoreWide(ReadOnlySpan<float> items, ReadOnlySpan<float> factor, Span<float> scores)
    {
        ref var x = ref MemoryMarshal.GetReference(factor);
        var x0 = Vector512.LoadUnsafe(ref x);
        var x1 = Vector512.LoadUnsafe(ref x, 16);
        var x2 = Vector512.LoadUnsafe(ref x, 32);
        var x3 = Vector512.LoadUnsafe(ref x, 48);
        ref var y = ref MemoryMarshal.GetReference(items);
        for (var i = 0; i < scores.Length; i++)
        {
            var offset = (nuint)(i * 64);
            var sum = Vector512.LoadUnsafe(ref y, offset) * x0;
            sum = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref y, offset + 16), x1, sum);
            sum = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref y, offset + 32), x2, sum);
            sum = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref y, offset + 48), x3, sum);
            scores[i] = Vector512.Sum(sum);
        }
    }
}
