namespace Pipeline.Engine.Evaluation;

/// <summary>
/// Ranking metrics with Personalize's definitions: binary relevance; NDCG@K divides by the DCG of the relevant
/// items placed first (at most K of them); precision@K divides by K even when fewer are relevant.
/// </summary>
public static class RankingMetrics
{
    public static UserRankingMetrics ForUser(IReadOnlyList<string> recommended, IReadOnlySet<string> relevant)
    {
        ArgumentNullException.ThrowIfNull(recommended);
        ArgumentNullException.ThrowIfNull(relevant);
        return new UserRankingMetrics(
            ReciprocalRank(recommended, relevant, 25),
            Ndcg(recommended, relevant, 5),
            Ndcg(recommended, relevant, 10),
            Ndcg(recommended, relevant, 25),
            Precision(recommended, relevant, 5),
            Precision(recommended, relevant, 10),
            Precision(recommended, relevant, 25),
            Recall(recommended, relevant, 20));
    }

    /// <summary>1 / rank of the first relevant item within the top k, or 0.</summary>
    public static double ReciprocalRank(IReadOnlyList<string> recommended, IReadOnlySet<string> relevant, int k)
    {
        var limit = Math.Min(k, recommended.Count);
        for (var i = 0; i < limit; i++)
            if (relevant.Contains(recommended[i])) return 1.0 / (i + 1);
        return 0;
    }

    public static double Ndcg(IReadOnlyList<string> recommended, IReadOnlySet<string> relevant, int k)
    {
        if (relevant.Count == 0) return 0;
        var dcg = 0.0;
        var limit = Math.Min(k, recommended.Count);
        for (var i = 0; i < limit; i++)
            if (relevant.Contains(recommended[i])) dcg += Discount(i);
        var ideal = 0.0;
        var idealHits = Math.Min(k, relevant.Count);
        for (var i = 0; i < idealHits; i++) ideal += Discount(i);
        return dcg / ideal;
    }

    public static double Precision(IReadOnlyList<string> recommended, IReadOnlySet<string> relevant, int k) =>
        (double)Hits(recommended, relevant, k) / k;

    public static double Recall(IReadOnlyList<string> recommended, IReadOnlySet<string> relevant, int k) =>
        relevant.Count == 0 ? 0 : (double)Hits(recommended, relevant, k) / relevant.Count;

    /// <summary>The mean of each metric over users, plus coverage, keyed by GetSolutionMetrics names.</summary>
    public static IReadOnlyDictionary<string, double> Aggregate(IReadOnlyCollection<UserRankingMetrics> users, double coverage)
    {
        ArgumentNullException.ThrowIfNull(users);
        double Mean(Func<UserRankingMetrics, double> metric) => users.Count == 0 ? 0 : users.Average(metric);
        return new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            [MetricNames.Coverage] = coverage,
            [MetricNames.MeanReciprocalRankAt25] = Mean(m => m.ReciprocalRankAt25),
            [MetricNames.NdcgAt5] = Mean(m => m.NdcgAt5),
            [MetricNames.NdcgAt10] = Mean(m => m.NdcgAt10),
            [MetricNames.NdcgAt25] = Mean(m => m.NdcgAt25),
            [MetricNames.PrecisionAt5] = Mean(m => m.PrecisionAt5),
            [MetricNames.PrecisionAt10] = Mean(m => m.PrecisionAt10),
            [MetricNames.PrecisionAt25] = Mean(m => m.PrecisionAt25),
            [MetricNames.RecallAt20] = Mean(m => m.RecallAt20),
        };
    }

    private static double Discount(int zeroBasedRank) => 1.0 / Math.Log2(zeroBasedRank + 2);

    private static int Hits(IReadOnlyList<string> recommended, IReadOnlySet<string> relevant, int k)
    {
        var hits = 0;
        var limit = Math.Min(k, recommended.Count);
        for (var i = 0; i < limit; i++)
            if (relevant.Contains(recommended[i])) hits++;
        return hits;
    }
}
