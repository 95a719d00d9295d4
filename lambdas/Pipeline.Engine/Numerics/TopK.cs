using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        var i = 0;
        for (; i < scores.Length && size < k; i++)
        {
            var score = scores[i];
            if (!(score > float.NegativeInfinity)) continue;
            indices[size] = i;
            values[size] = score;
            SiftUp(indices, values, size++);
        }
        // With the heap full, a score enters only if it beats the worst kept one; a later index never wins a tie, so a
        // whole vector of scores at or below the worst (or NaN) is skipped with one comparison: most of a long row.
        if (size == k && Vector256.IsHardwareAccelerated)
        {
            ref var s = ref MemoryMarshal.GetReference(scores);
            var width = Vector256<float>.Count;
            for (; i + width <= scores.Length; i += width)
            {
                if (!Vector256.GreaterThanAny(Vector256.LoadUnsafe(ref s, (nuint)i), Vector256.Create(values[0]))) continue;
                for (var j = i; j < i + width; j++) Offer(scores[j], j, indices, values, size);
            }
        }
        for (; i < scores.Length; i++) Offer(scores[i], i, indices, values, size);
        // Heap sort: repeatedly move the worst to the end, leaving the best first.
        for (var end = size - 1; end > 0; end--)
        {
            Swap(indices, values, 0, end);
            SiftDown(indices, values, 0, end);
        }
        return size;
    }

    /// <summary>
    /// The k-th largest of <paramref name="values"/> (1 ≤ k ≤ length), by quickselect in expected linear time: for
    /// keeping a long row's k best entries in their original order, where a heap would cost length · log k.
    /// Reorders <paramref name="values"/>; NaN must not occur.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Threshold(Span<float> values, int k)
    {
        if (k < 1 || k > values.Length) throw new ArgumentOutOfRangeException(nameof(k), "k must be between 1 and the length");
        int low = 0, high = values.Length - 1, target = k - 1;
        while (low < high)
        {
            // Median of three as the pivot; a three-way partition keeps runs of equal values linear.
            var mid = low + (high - low) / 2;
            var pivot = Median(values[low], values[mid], values[high]);
            int lt = low, i = low, gt = high;
            while (i <= gt)
            {
                if (values[i] > pivot) { (values[lt], values[i]) = (values[i], values[lt]); lt++; i++; }
                else if (values[i] < pivot) { (values[i], values[gt]) = (values[gt], values[i]); gt--; }
                else i++;
            }
            // [low, lt) > pivot, [lt, gt] == pivot, (gt, high] < pivot (descending order).
            if (target < lt) high = lt - 1;
            else if (target > gt) low = gt + 1;
            else return pivot;
        }
        return values[target];
    }

    private static float Median(float a, float b, float c) => Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));

    /// <summary>Replaces the heap's worst entry by (score, index) when it is better (the heap is full).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Offer(float score, int index, Span<int> indices, Span<float> values, int size)
    {
        if (!(score > float.NegativeInfinity) || !Better(score, index, values[0], indices[0])) return;
        indices[0] = index;
        values[0] = score;
        SiftDown(indices, values, 0, size);
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
