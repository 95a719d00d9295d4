using System.Runtime.CompilerServices;
using Pipeline.Engine.Numerics;

namespace Pipeline.Engine.Recipes;

/// <summary>How a co-occurrence count becomes a similarity; negative infinity drops the pair.</summary>
public interface IPairScore
{
    float Score(int item, int other, int coCount);
}

/// <summary>
/// Item-item co-occurrence without a dense item×item matrix: one item at a time, walking its users' items into
/// a per-thread counter array (cost Σ over users of history², split over the cores). Feeds SIMS, item-kNN and
/// EASE's Gram matrix.
/// </summary>
public static class CoOccurrence
{
    /// <summary>Each item's best <paramref name="k"/> other items under <paramref name="score"/>.</summary>
    public static ItemNeighbours TopNeighbours<TScore>(FeedbackMatrix matrix, int k, TScore score, CancellationToken cancellationToken = default)
        where TScore : IPairScore
    {
        var n = matrix.ItemCount;
        var perItem = new (int[] Items, float[] Scores)[n];
        Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellationToken },
            () => new Scratch(n, k),
            (item, _, scratch) =>
            {
                var touched = Count(matrix, item, scratch.Counts, scratch.Touched);
                var found = SelectTouched(item, touched, scratch.Counts, score, scratch.TopItems, scratch.TopScores);
                perItem[item] = (scratch.TopItems[..found].ToArray(), scratch.TopScores[..found].ToArray());
                return scratch;
            },
            _ => { });

        var offsets = new int[n + 1];
        for (var i = 0; i < n; i++) offsets[i + 1] = offsets[i] + perItem[i].Items.Length;
        var neighbours = new int[offsets[n]];
        var scores = new float[offsets[n]];
        for (var i = 0; i < n; i++)
        {
            perItem[i].Items.CopyTo(neighbours, offsets[i]);
            perItem[i].Scores.CopyTo(scores, offsets[i]);
        }
        return new ItemNeighbours(offsets, neighbours, scores);
    }

    /// <summary>Row <paramref name="item"/> of XᵀX (co-occurrence counts including the diagonal) into <paramref name="row"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GramRow(FeedbackMatrix matrix, int item, Span<float> row)
    {
        row.Clear();
        foreach (var user in matrix.UsersOf(item))
            foreach (var other in matrix.ItemsOf(user))
                row[other] += 1;
    }

    private static List<int> Count(FeedbackMatrix matrix, int item, int[] counts, List<int> touched)
    {
        touched.Clear();
        foreach (var user in matrix.UsersOf(item))
        {
            foreach (var other in matrix.ItemsOf(user))
            {
                if (counts[other]++ == 0) touched.Add(other);
            }
        }
        return touched;
    }

    private static int SelectTouched<TScore>(int item, List<int> touched, int[] counts, TScore score, int[] topItems, float[] topScores)
        where TScore : IPairScore
    {
        // Touched lists are short next to the catalogue, so selection runs over a compact copy of their scores;
        // sorting them first keeps TopK's lower-index tie-break meaning "lower item index".
        var count = touched.Count;
        if (count == 0) return 0;
        var buffer = System.Buffers.ArrayPool<float>.Shared.Rent(count);
        var order = System.Buffers.ArrayPool<int>.Shared.Rent(count);
        try
        {
            touched.Sort();
            for (var t = 0; t < count; t++)
            {
                var other = touched[t];
                buffer[t] = other == item ? float.NegativeInfinity : score.Score(item, other, counts[other]);
                counts[other] = 0;
            }
            var found = TopK.Select(buffer.AsSpan(0, count), order.AsSpan(0, Math.Min(count, topItems.Length)), topScores);
            for (var r = 0; r < found; r++) topItems[r] = touched[order[r]];
            return found;
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(buffer);
            System.Buffers.ArrayPool<int>.Shared.Return(order);
        }
    }

    private sealed class Scratch
    {
        public Scratch(int n, int k)
        {
            Counts = new int[n];
            TopItems = new int[k];
            TopScores = new float[k];
        }

        public int[] Counts { get; }
        public List<int> Touched { get; } = [];
        public int[] TopItems { get; }
        public float[] TopScores { get; }
    }
}
