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

    private sealed record User(int[] History, int[] Targets, int TargetCount);

    private static User[] ValidationUsers(FeedbackMatrix matrix, HoldoutSplit validation)
    {
        var userIndex = new Dictionary<string, int>(matrix.UserCount, StringComparer.Ordinal);
        for (var u = 0; u < matrix.UserCount; u++) userIndex[matrix.UserIds[u]] = u;
        var itemIndex = new Dictionary<string, int>(matrix.ItemCount, StringComparer.Ordinal);
        for (var i = 0; i < matrix.ItemCount; i++) itemIndex[matrix.ItemIds[i]] = i;
        var all = validation.TestUsers;
        var step = Math.Max(1.0, all.Count / (double)MaxUsers);
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
