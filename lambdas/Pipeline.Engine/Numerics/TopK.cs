using System.Runtime.CompilerServices;

namespace Pipeline.Engine.Numerics;

/// <summary>
/// Partial selection of the k best scores with a min-heap of size k: O(n log k) and no allocation, where a
/// full sort of a 20k-item score vector would cost O(n log n) and an array. Ties go to the lower index so
/// results are deterministic. Scores of negative infinity (excluded items) and NaN are never selected.
/// </summary>
public static class TopK
{
    /// <summary>Writes the best min(k, candidates) indices and scores, best first; returns how many.</summary>
    // Fully optimised from the first call: tuning and one-off trainings run it thousands of times within the
    // runtime's first tiering window, where it would otherwise stay unoptimised tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Select(ReadOnlySpan<float> scores, Span<int> indices, Span<float> values)
    {
        var k = Math.Min(indices.Length, values.Length);
        if (k == 0) return 0;
        var size = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var score = scores[i];
            if (!(score > float.NegativeInfinity)) continue;
            if (size < k)
            {
                indices[size] = i;
                values[size] = score;
                SiftUp(indices, values, size++);
            }
            else if (Better(score, i, values[0], indices[0]))
            {
                indices[0] = i;
                values[0] = score;
                SiftDown(indices, values, 0, size);
            }
        }
        // Heap sort: repeatedly move the worst to the end, leaving the best first.
        for (var end = size - 1; end > 0; end--)
        {
            Swap(indices, values, 0, end);
            SiftDown(indices, values, 0, end);
        }
        return size;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Better(float score, int index, float otherScore, int otherIndex) =>
        score > otherScore || (score == otherScore && index < otherIndex);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SiftUp(Span<int> indices, Span<float> values, int child)
    {
        while (child > 0)
        {
            var parent = (child - 1) >> 1;
            if (!Better(values[parent], indices[parent], values[child], indices[child])) return;
            Swap(indices, values, parent, child);
            child = parent;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SiftDown(Span<int> indices, Span<float> values, int parent, int size)
    {
        while (true)
        {
            var worst = parent;
            var left = 2 * parent + 1;
            var right = left + 1;
            if (left < size && Better(values[worst], indices[worst], values[left], indices[left])) worst = left;
            if (right < size && Better(values[worst], indices[worst], values[right], indices[right])) worst = right;
            if (worst == parent) return;
            Swap(indices, values, parent, worst);
            parent = worst;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Swap(Span<int> indices, Span<float> values, int a, int b)
    {
        (indices[a], indices[b]) = (indices[b], indices[a]);
        (values[a], values[b]) = (values[b], values[a]);
    }
}
