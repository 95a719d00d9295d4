using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Pipeline.Engine.Evaluation;
using Pipeline.Engine.Numerics;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// Chooses the graph filter's exponents (<see cref="ItemGraphOptions"/>) on a validation split by NDCG@10, the
/// measure <see cref="ValidationNdcg"/> uses. One co-occurrence matrix per user exponent c serves every (a, b):
/// a user's scores for row exponent a are Σᵢ dᵢ^−a·C[i, :], and the column exponent b only rescales them, so each
/// (c, a) costs one pass over the users' rows and each b one top-10 over the items they reached. Rows are not cut
/// while tuning (the cut changes the ranking little and is checked by the caller on the built model).
/// At most <see cref="MaxUsers"/> validation users (evenly spaced) are scored.
/// </summary>
public static class ItemGraphTuning
{
    public static readonly double[] UserExponents = [0.5, 1.0];
    public static readonly double[] RowExponents = [0, 0.25, 0.5, 0.75, 1.0];
    public static readonly double[] ColumnExponents = [0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75];
    public const int MaxUsers = 10_000;
    private const int K = 10;

    public sealed record Result(ItemGraphOptions Options, double Ndcg, IReadOnlyDictionary<string, double> NdcgByExponents);

    public static Result Select(FeedbackMatrix matrix, HoldoutSplit validation, int neighbours, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(validation);
        var users = ValidationUsers(matrix, validation);
        var tried = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var best = (Options: new ItemGraphOptions(Neighbours: neighbours), Ndcg: double.NegativeInfinity);
        var columnScales = ColumnExponents.Select(b => ItemGraph.ItemScale(matrix, b)).ToArray();
        foreach (var c in UserExponents)
        {
            var coOccurrence = ItemGraph.CoOccurrence(matrix, c, cancellationToken);
            foreach (var a in RowExponents)
            {
                var sums = Score(coOccurrence, ItemGraph.ItemScale(matrix, a), columnScales, users, matrix.ItemCount, cancellationToken);
                for (var bi = 0; bi < ColumnExponents.Length; bi++)
                {
                    var ndcg = users.Length == 0 ? 0 : sums[bi] / users.Length;
                    tried[$"a={a} b={ColumnExponents[bi]} c={c}"] = ndcg;
                    if (ndcg > best.Ndcg) best = (new ItemGraphOptions(a, ColumnExponents[bi], c, neighbours), ndcg);
                }
            }
        }
        return new Result(best.Options, best.Ndcg, tried);
    }

    public static readonly int[] Ranks = [384];
    public static readonly double[] LowRankWeightFactors = [0, 0.1, 0.2, 0.3, 0.45, 0.6];

    /// <summary>BSPM's sharpening step, as factors of the ratio of the linear filter's and x·V·Σ⁴·Vᵀ's typical top scores.</summary>
    public static readonly double[] SharpeningFactors = [0, 0.15, 0.25, 0.35, 0.5, 0.75];

    /// <summary>Column exponents tried next to the spectral part (row exponent ½, user exponent 1: GF-CF's R̃ᵀR̃ at ½).</summary>
    public static readonly double[] ColumnExponentsWithLowRank = [0.25, 0.375, 0.5];
    public const int MaxLowRankUsers = 4_000;

    /// <summary>The spectral part chosen with one of the built linear filters (<see cref="LowRankFilter"/>).</summary>
    public sealed record LowRankChoice(int Linear, int Rank, double Weight, double Sharpening, double Ndcg, IReadOnlyDictionary<string, double> NdcgByCandidate);

    /// <summary>
    /// Chooses one of the built filters <paramref name="linears"/> with the spectral part's rank (a prefix of
    /// <paramref name="vectors"/>'s columns), low-pass weight and sharpening step: both are factors of the ratio of the
    /// linear filter's typical top score to their own (measured on at most <see cref="ScaleUsers"/> users), so the grid
    /// fits whatever scale the exponents give S. Factor 0 (no low-pass part, no sharpening) is a candidate. The spectral
    /// scores are computed once per user and shared by every combination, for <see cref="UserBatch"/> users at a time so
    /// each row of V is read once per batch. <c>NdcgByCandidate</c> names each combination
    /// "b=&lt;filter index&gt; rank=R factor=F sharpening=G".
    /// </summary>
    public static LowRankChoice SelectLowRank(FeedbackMatrix matrix, HoldoutSplit validation, IReadOnlyList<SparseRows> linears, float[] vectors,
        double[] singularValues, int computedRank, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(linears);
        ArgumentNullException.ThrowIfNull(singularValues);
        var users = ValidationUsers(matrix, validation, MaxLowRankUsers);
        var ranks = Ranks.Where(r => r <= computedRank).DefaultIfEmpty(computedRank).ToArray();
        var n = matrix.ItemCount;
        var spectrum = new Spectrum(matrix, vectors, singularValues, computedRank, ranks);
        var factors = LowRankWeightFactors;
        var sharpenings = SharpeningFactors;
        int Combo(int c, int r, int f, int g) => ((c * ranks.Length + r) * factors.Length + f) * sharpenings.Length + g;
        var combos = linears.Count * ranks.Length * factors.Length * sharpenings.Length;
        var perUser = new double[users.Length * combos];
        // First the grids' scales from the parts' top scores on a spread sample of users, then the ranking.
        var step = Math.Max(1, users.Length / ScaleUsers);
        var sample = Enumerable.Range(0, users.Length).Where(u => u % step == 0).Select(u => users[u]).ToArray();
        var linearTop = new double[linears.Count * sample.Length];
        var lowTop = new double[sample.Length];
        var sharpTop = new double[sample.Length];
        ForBatches(sample, linears, spectrum, n, cancellationToken, (u, user, linear, low, sharp) =>
        {
            for (var c = 0; c < linears.Count; c++) linearTop[c * sample.Length + u] = Max(linear.Slice(c * n, n), user.History);
            lowTop[u] = Max(low.Slice((ranks.Length - 1) * n, n), user.History);
            sharpTop[u] = Max(sharp.Slice((ranks.Length - 1) * n, n), user.History);
        });
        var weights = new double[linears.Count * factors.Length];
        var steps = new double[linears.Count * sharpenings.Length];
        for (var c = 0; c < linears.Count; c++)
        {
            var top = linearTop.AsSpan(c * sample.Length, sample.Length).ToArray();
            for (var f = 0; f < factors.Length; f++) weights[c * factors.Length + f] = factors[f] * MedianRatio(top, lowTop);
            for (var g = 0; g < sharpenings.Length; g++) steps[c * sharpenings.Length + g] = sharpenings[g] * MedianRatio(top, sharpTop);
        }
        var combined = new ThreadLocal<(float[] Scores, int[] Top, float[] TopValues)>(() => (new float[n], new int[K], new float[K]));
        ForBatches(users, linears, spectrum, n, cancellationToken, (u, user, linearScores, lowScores, sharpScores) =>
        {
            var b = combined.Value;
            for (var c = 0; c < linears.Count; c++)
            for (var r = 0; r < ranks.Length; r++)
            for (var f = 0; f < factors.Length; f++)
            for (var g = 0; g < sharpenings.Length; g++)
            {
                if (f == 0 && g == 0 && r > 0) continue; // without the spectral part the rank does not matter
                var linear = linearScores.Slice(c * n, n);
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(lowScores.Slice(r * n, n), (float)weights[c * factors.Length + f], linear, b.Scores);
                if (g > 0)
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(sharpScores.Slice(r * n, n), -(float)steps[c * sharpenings.Length + g], b.Scores, b.Scores);
                foreach (var i in user.History) b.Scores[i] = float.NegativeInfinity;
                perUser[u * combos + Combo(c, r, f, g)] = Ndcg(b.Scores, b.Top, b.TopValues, user);
            }
        });
        var best = new LowRankChoice(0, 0, 0, 0, double.NegativeInfinity, new Dictionary<string, double>());
        var tried = new SortedDictionary<string, double>(StringComparer.Ordinal);
        for (var c = 0; c < linears.Count; c++)
        for (var r = 0; r < ranks.Length; r++)
        for (var f = 0; f < factors.Length; f++)
        for (var g = 0; g < sharpenings.Length; g++)
        {
            if (f == 0 && g == 0 && r > 0) continue;
            var sum = 0.0;
            for (var u = 0; u < users.Length; u++) sum += perUser[u * combos + Combo(c, r, f, g)];
            var ndcg = users.Length == 0 ? 0 : sum / users.Length;
            var spectral = f > 0 || g > 0;
            tried[FormattableString.Invariant($"b={c} rank={(spectral ? ranks[r] : 0)} factor={factors[f]} sharpening={sharpenings[g]}")] = ndcg;
            if (ndcg > best.Ndcg)
                best = new LowRankChoice(c, spectral ? ranks[r] : 0, weights[c * factors.Length + f], steps[c * sharpenings.Length + g], ndcg, best.NdcgByCandidate);
        }
        return best with { NdcgByCandidate = tried };
    }

    /// <summary>
    /// The median over users of their two top scores' ratio: robust to the few long histories whose scores are far
    /// larger than everyone's (an average of tops swings with whether the sample holds them).
    /// </summary>
    private static double MedianRatio(double[] numerators, double[] denominators)
    {
        var ratios = numerators.Zip(denominators, (a, b) => b > 0 ? a / b : double.NaN).Where(r => !double.IsNaN(r)).Order().ToArray();
        return ratios.Length == 0 ? 0 : ratios[ratios.Length / 2];
    }

    /// <summary>Users whose top scores set the spectral grids' scales.</summary>
    public const int ScaleUsers = 500;

    /// <summary>Users whose spectral scores are computed together, each row of V read once for all of them.</summary>
    public const int UserBatch = 8;

    /// <summary>
    /// V's first columns with the two folds' item factors: the low-pass part folds dᵢ^−½·Vᵢ and scores dⱼ^½·Vⱼ; the
    /// sharpening part folds Vᵢ·Σ⁴ (so its fold carries the singular values) and scores Vⱼ.
    /// </summary>
    private sealed class Spectrum(FeedbackMatrix matrix, float[] vectors, double[] singularValues, int computedRank, int[] ranks)
    {
        public float[] Vectors { get; } = vectors;
        public int Rank { get; } = computedRank;
        public int[] Ranks { get; } = ranks;
        public float[] Roots { get; } = Enumerable.Range(0, matrix.ItemCount).Select(i => MathF.Sqrt(Math.Max(1, matrix.Popularity(i)))).ToArray();
        public float[] Fourth { get; } = singularValues.Take(computedRank).Select(s => (float)Math.Pow(s, 4)).ToArray();

        public void Fold(int[] history, Span<float> low, Span<float> sharp)
        {
            low.Clear();
            sharp.Clear();
            foreach (var i in history)
            {
                var row = Vectors.AsSpan(i * Rank, Rank);
                ItemSpectrum.Axpy(1f / Roots[i], row, low);
                ItemSpectrum.Axpy(1f, row, sharp);
            }
            System.Numerics.Tensors.TensorPrimitives.Multiply(sharp, Fourth, sharp);
        }
    }

    private delegate void UserScores(int index, User user, Span<float> linear, Span<float> low, Span<float> sharp);

    /// <summary>
    /// For every user (batches of <see cref="UserBatch"/> over the cores): the scores of each linear filter (filter c
    /// at [c·n, (c+1)·n)), of the low-pass part and of x·V·Σ⁴·Vᵀ for each rank prefix (rank r at [r·n, (r+1)·n)), weight 1.
    /// </summary>
    private static void ForBatches(User[] users, IReadOnlyList<SparseRows> linears, Spectrum spectrum, int n,
        CancellationToken cancellationToken, UserScores consume)
    {
        var rank = spectrum.Rank;
        var ranks = spectrum.Ranks.Length;
        var batches = (users.Length + UserBatch - 1) / UserBatch;
        Parallel.For(0, batches, new ParallelOptions { CancellationToken = cancellationToken },
            () => (Linear: new float[UserBatch * linears.Count * n], Low: new float[UserBatch * ranks * n], Sharp: new float[UserBatch * ranks * n],
                FoldedLow: new float[UserBatch * rank], FoldedSharp: new float[UserBatch * rank]),
            (batch, _, b) =>
            {
                var first = batch * UserBatch;
                var count = Math.Min(UserBatch, users.Length - first);
                Array.Clear(b.Linear);
                for (var k = 0; k < count; k++)
                {
                    var user = users[first + k];
                    for (var c = 0; c < linears.Count; c++)
                    {
                        var target = b.Linear.AsSpan((k * linears.Count + c) * n, n);
                        foreach (var i in user.History)
                        {
                            var columns = linears[c].ColumnsOf(i);
                            var values = linears[c].ValuesOf(i);
                            for (var e = 0; e < columns.Length; e++) target[columns[e]] += values[e];
                        }
                    }
                    spectrum.Fold(user.History, b.FoldedLow.AsSpan(k * rank, rank), b.FoldedSharp.AsSpan(k * rank, rank));
                }
                SpectralScores(spectrum, n, count, b.FoldedLow, b.FoldedSharp, b.Low, b.Sharp);
                for (var k = 0; k < count; k++)
                    consume(first + k, users[first + k], b.Linear.AsSpan(k * linears.Count * n, linears.Count * n),
                        b.Low.AsSpan(k * ranks * n, ranks * n), b.Sharp.AsSpan(k * ranks * n, ranks * n));
                return b;
            },
            _ => { });
    }

    /// <summary>
    /// low[(k·ranks + r)·n + j] = dⱼ^½ · Vⱼ[..ranks[r]]·lowFold_k[..ranks[r]] and sharp[…] = Vⱼ[..ranks[r]]·sharpFold_k[..ranks[r]]
    /// for the batch's users k.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SpectralScores(Spectrum spectrum, int n, int count, float[] lowFolds, float[] sharpFolds, float[] low, float[] sharp)
    {
        var rank = spectrum.Rank;
        var ranks = spectrum.Ranks;
        var vectors = spectrum.Vectors;
        for (var j = 0; j < n; j++)
        {
            var row = vectors.AsSpan(j * rank, rank);
            var root = spectrum.Roots[j];
            for (var k = 0; k < count; k++)
            {
                var lowFold = lowFolds.AsSpan(k * rank, rank);
                var sharpFold = sharpFolds.AsSpan(k * rank, rank);
                float lowSum = 0f, sharpSum = 0f;
                var previous = 0;
                for (var r = 0; r < ranks.Length; r++)
                {
                    lowSum += Dot(row[previous..ranks[r]], lowFold[previous..ranks[r]]);
                    sharpSum += Dot(row[previous..ranks[r]], sharpFold[previous..ranks[r]]);
                    previous = ranks[r];
                    low[(k * ranks.Length + r) * n + j] = lowSum * root;
                    sharp[(k * ranks.Length + r) * n + j] = sharpSum;
                }
            }
        }
    }

    /// <summary>An inlined dot product (a library call per item and user would cost more than the 128 multiply-adds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        ref var x = ref MemoryMarshal.GetReference(a);
        ref var y = ref MemoryMarshal.GetReference(b);
        var length = (nuint)a.Length;
        var acc = Vector256<float>.Zero;
        nuint i = 0;
        for (; i + 8 <= length; i += 8)
            acc = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, i),
                Vector256.LoadUnsafe(ref y, i), acc);
        var sum = Vector256.Sum(acc);
        for (; i < length; i++) sum += Unsafe.Add(ref x, i) * Unsafe.Add(ref y, i);
        return sum;
    }

    private static double Max(ReadOnlySpan<float> scores, int[] excluded)
    {
        var max = 0f;
        for (var j = 0; j < scores.Length; j++)
            if (scores[j] > max && Array.IndexOf(excluded, j) < 0) max = scores[j];
        return max;
    }

    private static double Ndcg(float[] scores, int[] top, float[] topValues, User user)
    {
        var found = TopK.Select(scores, top, topValues);
        var dcg = 0.0;
        for (var r = 0; r < found; r++)
            if (Array.IndexOf(user.Targets, top[r]) >= 0) dcg += 1.0 / Math.Log2(r + 2);
        var ideal = 0.0;
        for (var r = 0; r < Math.Min(K, user.TargetCount); r++) ideal += 1.0 / Math.Log2(r + 2);
        return dcg / ideal;
    }

    private sealed record User(int[] History, int[] Targets, int TargetCount);

    private static User[] ValidationUsers(FeedbackMatrix matrix, HoldoutSplit validation, int maxUsers = MaxUsers)
    {
        var userIndex = new Dictionary<string, int>(matrix.UserCount, StringComparer.Ordinal);
        for (var u = 0; u < matrix.UserCount; u++) userIndex[matrix.UserIds[u]] = u;
        var itemIndex = new Dictionary<string, int>(matrix.ItemCount, StringComparer.Ordinal);
        for (var i = 0; i < matrix.ItemCount; i++) itemIndex[matrix.ItemIds[i]] = i;
        var all = validation.TestUsers;
        var step = Math.Max(1.0, all.Count / (double)maxUsers);
        var chosen = new List<User>();
        for (var position = 0.0; (int)position < all.Count; position += step)
        {
            var user = all[(int)position];
            if (user.TargetItemIds.Count == 0) continue;
            int[] history = userIndex.TryGetValue(user.UserId, out var u) ? matrix.ItemsOf(u).ToArray() : [];
            var targets = user.TargetItemIds.Select(t => itemIndex.GetValueOrDefault(t, -1)).Where(i => i >= 0).ToArray();
            chosen.Add(new User(history, targets, user.TargetItemIds.Count));
        }
        return [.. chosen];
    }

    /// <summary>The sum over users of NDCG@10 for each column exponent, rows weighted by <paramref name="rowScale"/>.</summary>
    private static double[] Score(SparseRows coOccurrence, float[] rowScale, float[][] columnScales, User[] users, int n, CancellationToken cancellationToken)
    {
        var perUser = new double[users.Length * columnScales.Length];
        Parallel.For(0, users.Length, new ParallelOptions { CancellationToken = cancellationToken },
            () => (Sums: new float[n], Touched: new int[n], Excluded: new bool[n], Scaled: new float[n], Top: new int[K], TopValues: new float[K]),
            (u, _, b) =>
            {
                var user = users[u];
                var count = 0;
                foreach (var i in user.History)
                {
                    var w = rowScale[i];
                    var columns = coOccurrence.ColumnsOf(i);
                    var values = coOccurrence.ValuesOf(i);
                    for (var k = 0; k < columns.Length; k++)
                    {
                        var j = columns[k];
                        if (b.Sums[j] == 0f) b.Touched[count++] = j;
                        b.Sums[j] += w * values[k];
                    }
                }
                foreach (var i in user.History) b.Excluded[i] = true;
                for (var s = 0; s < columnScales.Length; s++)
                {
                    var scale = columnScales[s];
                    var scaled = b.Scaled.AsSpan(0, count);
                    for (var k = 0; k < count; k++)
                    {
                        var j = b.Touched[k];
                        scaled[k] = b.Excluded[j] ? float.NegativeInfinity : b.Sums[j] * scale[j];
                    }
                    var found = TopK.Select(scaled, b.Top, b.TopValues);
                    var dcg = 0.0;
                    for (var r = 0; r < found; r++)
                        if (Array.IndexOf(user.Targets, b.Touched[b.Top[r]]) >= 0) dcg += 1.0 / Math.Log2(r + 2);
                    var ideal = 0.0;
                    for (var r = 0; r < Math.Min(K, user.TargetCount); r++) ideal += 1.0 / Math.Log2(r + 2);
                    perUser[u * columnScales.Length + s] = dcg / ideal;
                }
                for (var k = 0; k < count; k++) b.Sums[b.Touched[k]] = 0f;
                foreach (var i in user.History) b.Excluded[i] = false;
                return b;
            },
            _ => { });
        var sums = new double[columnScales.Length];
        for (var u = 0; u < users.Length; u++)
            for (var s = 0; s < columnScales.Length; s++) sums[s] += perUser[u * columnScales.Length + s];
        return sums;
    }
}
