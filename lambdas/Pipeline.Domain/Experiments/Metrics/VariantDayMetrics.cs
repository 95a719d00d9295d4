namespace Pipeline.Domain.Experiments.Metrics;

/// <summary>
/// Additive sums for one variant on one day (UTC). Each row holds the changes that happened that day, so
/// the sum of the rows up to day D is the experiment as it stood at the end of D: users who entered by D
/// and their attributed activity until D. Sums of squares are over users (ΣY² of each user's total), kept
/// by adding (y + Δ)² − y² as a user's total grows; the Σ X·Y products serve CUPED with X the covariate.
/// Latency (sums and a histogram) and fallbacks are per exposure (one served list). A row also carries the bandit <see cref="Period"/> its
/// users entered in (0 for a fixed split): the key is (experiment, phase, variant, day, period), so the rows of one
/// period are one cohort, its users and all their outcomes whatever the day.
/// </summary>
public sealed record VariantDayMetrics(string VariantKey, DateOnly Day)
{
    /// <summary>The bandit period the row's users entered in (stamped on each user at their first exposure).</summary>
    public int Period { get; init; }

    public long ExposedUsers { get; init; }
    public long Exposures { get; init; }
    public long FallbackExposures { get; init; }
    public double LatencyMsSum { get; init; }
    public double LatencyMsSumOfSquares { get; init; }
    /// <summary>The served lists by latency bucket (empty in rows written before histograms were kept).</summary>
    public LatencyHistogram LatencyHistogram { get; init; } = LatencyHistogram.Empty;
    public long Clickers { get; init; }
    public long Purchasers { get; init; }
    public long Clicks { get; init; }
    public double ClicksSumOfSquares { get; init; }
    public long Purchases { get; init; }
    public double Revenue { get; init; }
    public double RevenueSumOfSquares { get; init; }
    public double CovariateSum { get; init; }
    public double CovariateSumOfSquares { get; init; }
    /// <summary>Σ X over users who clicked (Σ X·Y for the binary click-through metric).</summary>
    public double ClickersCovariate { get; init; }
    /// <summary>Σ X over users who purchased (Σ X·Y for the binary conversion metric).</summary>
    public double PurchasersCovariate { get; init; }
    public double ClicksCovariate { get; init; }
    public double RevenueCovariate { get; init; }

    /// <summary>Field-wise sum; the result keeps this row's variant and takes the later day.</summary>
    public VariantDayMetrics Add(VariantDayMetrics other) => this with
    {
        Day = other.Day > Day ? other.Day : Day,
        ExposedUsers = ExposedUsers + other.ExposedUsers,
        Exposures = Exposures + other.Exposures,
        FallbackExposures = FallbackExposures + other.FallbackExposures,
        LatencyMsSum = LatencyMsSum + other.LatencyMsSum,
        LatencyMsSumOfSquares = LatencyMsSumOfSquares + other.LatencyMsSumOfSquares,
        LatencyHistogram = LatencyHistogram.Add(other.LatencyHistogram),
        Clickers = Clickers + other.Clickers,
        Purchasers = Purchasers + other.Purchasers,
        Clicks = Clicks + other.Clicks,
        ClicksSumOfSquares = ClicksSumOfSquares + other.ClicksSumOfSquares,
        Purchases = Purchases + other.Purchases,
        Revenue = Revenue + other.Revenue,
        RevenueSumOfSquares = RevenueSumOfSquares + other.RevenueSumOfSquares,
        CovariateSum = CovariateSum + other.CovariateSum,
        CovariateSumOfSquares = CovariateSumOfSquares + other.CovariateSumOfSquares,
        ClickersCovariate = ClickersCovariate + other.ClickersCovariate,
        PurchasersCovariate = PurchasersCovariate + other.PurchasersCovariate,
        ClicksCovariate = ClicksCovariate + other.ClicksCovariate,
        RevenueCovariate = RevenueCovariate + other.RevenueCovariate,
    };
}

/// <summary>A user's new state and the sums to add to its variant's row for the day.</summary>
public sealed record MetricsChange(ExperimentUserState State, VariantDayMetrics Delta);
