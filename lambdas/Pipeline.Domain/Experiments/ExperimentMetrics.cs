namespace Pipeline.Domain.Experiments;

/// <summary>The user-level metrics every experiment is analysed on (names as in the API and reports).</summary>
public static class ExperimentMetrics
{
    /// <summary>Users with at least one attributed click over exposed users.</summary>
    public const string ClickThroughRate = "ctr";

    /// <summary>Users with at least one attributed purchase over exposed users.</summary>
    public const string ConversionRate = "conversion_rate";

    /// <summary>Attributed purchase value (EVENT_VALUE) per exposed user.</summary>
    public const string RevenuePerUser = "revenue_per_user";

    /// <summary>Attributed clicks per exposed user.</summary>
    public const string ClicksPerUser = "clicks_per_user";

    public static IReadOnlyList<string> All { get; } = [ClickThroughRate, ConversionRate, RevenuePerUser, ClicksPerUser];

    /// <summary>Proportions get a binomial variance and a Beta-Binomial chance to win; the others are means.</summary>
    public static bool IsProportion(string metric) => metric is ClickThroughRate or ConversionRate;
}

/// <summary>Serving-health metrics that a variant must not make worse (measured per exposure).</summary>
public static class GuardrailMetrics
{
    /// <summary>Mean time to serve a recommendation list, in milliseconds.</summary>
    public const string Latency = "latency_ms";

    /// <summary>Share of recommendation lists answered by the fallback chain instead of the variant's model.</summary>
    public const string FallbackRate = "fallback_rate";

    /// <summary>
    /// The 99th percentile of the time to serve a list, in milliseconds (from a histogram). Its harm test is on the share of
    /// lists slower than (the lower bound of the bucket of) the two arms' pooled p99 (see <see cref="Results.LatencyTail"/>).
    /// </summary>
    public const string LatencyP99 = "latency_p99_ms";

    public static IReadOnlyList<string> All { get; } = [Latency, FallbackRate, LatencyP99];
}
