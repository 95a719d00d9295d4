namespace Pipeline.Engine.Evaluation;

/// <summary>The metric names of Personalize's GetSolutionMetrics, plus recall@20 which the product also reports.</summary>
public static class MetricNames
{
    public const string Coverage = "coverage";
    public const string MeanReciprocalRankAt25 = "mean_reciprocal_rank_at_25";
    public const string NdcgAt5 = "normalized_discounted_cumulative_gain_at_5";
    public const string NdcgAt10 = "normalized_discounted_cumulative_gain_at_10";
    public const string NdcgAt25 = "normalized_discounted_cumulative_gain_at_25";
    public const string PrecisionAt5 = "precision_at_5";
    public const string PrecisionAt10 = "precision_at_10";
    public const string PrecisionAt25 = "precision_at_25";
    public const string RecallAt20 = "recall_at_20";

    /// <summary>NDCG@20 of the NGCF/LightGCN protocol (reported by `pipeline evaluate`, not by GetSolutionMetrics).</summary>
    public const string NdcgAt20 = "ndcg_at_20";

    /// <summary>How many recommendations per user the metrics need: the largest cut-off.</summary>
    public const int RecommendationsNeeded = 25;
}
