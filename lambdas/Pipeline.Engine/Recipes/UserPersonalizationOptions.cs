using System.Globalization;

namespace Pipeline.Engine.Recipes;

/// <summary>Which model scores users: a dense item-item EASE matrix, ALS factors or a sparse item-item graph filter.</summary>
public enum UserPersonalizationAlgorithm
{
    Ease,
    Als,
    Graph,
}

/// <summary>
/// aws-user-personalization hyperparameters. <c>algorithm</c> = auto | ease | graph | als. Auto measures the
/// candidates on a validation split and keeps the better: the graph filter (<see cref="ItemGraph"/>) always, EASE
/// when it is affordable, i.e. the catalogue has at most <c>ease_max_items</c> items (default 6,000: the n³ inverse
/// then trains well inside the 60 s budget on two cores, and the float32 matrix is ≤ 144 MB) and its dense matrix
/// fits in memory. ALS only when asked for. Graph filter: <c>graph_row_exponent</c>, <c>graph_column_exponent</c>,
/// <c>graph_user_exponent</c>, the spectral part's <c>graph_rank</c>, <c>graph_low_rank_weight</c> (GF-CF's low-pass
/// filter) and <c>graph_sharpening</c> (BSPM's sharpening step, <see cref="LowRankFilter"/>) ("auto" = tuned on the
/// validation split) and <c>graph_neighbours</c> (entries kept per row, default 1,000). EASE: <c>lambda</c> (its L2 weight; "auto" tunes it on a validation split carved from
/// the training data). ALS: <c>hidden_dimension</c> (Personalize's name for the factor count), <c>als_alpha</c>,
/// <c>als_regularization</c>, <c>als_iterations</c>, <c>als_cg_steps</c>.
/// History weighting (EASE scores a user as the weighted sum of their items' rows, see <see cref="HistoryWeighting"/>):
/// <c>event_type_weights</c> (e.g. <c>view:1,click:2,purchase:4</c>; unnamed types weigh 1) and
/// <c>recency_half_life</c> (in history positions; 0 = no decay). "auto" (the default) tunes both on a validation
/// split carved from the training data (each user's newest 10%, as Personalize holds out); ALS scores from the user
/// factor and ignores them. <c>category_weight</c> blends the items dataset's CATEGORY into EASE's scores
/// (<see cref="CategoryAffinity"/>; 0 = off, "auto" = tuned on the same validation split; no effect without categories).
/// </summary>
public sealed record UserPersonalizationOptions(
    string Algorithm = "auto",
    double? Lambda = null,
    int EaseMaxItems = 6000,
    AlsOptions? Als = null,
    IReadOnlyDictionary<string, float>? EventTypeWeights = null,
    double? RecencyHalfLife = null,
    double? CategoryWeight = null,
    double? GraphRowExponent = null,
    double? GraphColumnExponent = null,
    double? GraphUserExponent = null,
    int GraphNeighbours = 1000,
    int? GraphRank = null,
    double? GraphLowRankWeight = null,
    double? GraphSharpening = null)
{
    public const string GraphSharpeningName = "graph_sharpening";
    public const string GraphRankName = "graph_rank";
    public const string GraphLowRankWeightName = "graph_low_rank_weight";
    public const string GraphRowExponentName = "graph_row_exponent";
    public const string GraphColumnExponentName = "graph_column_exponent";
    public const string GraphUserExponentName = "graph_user_exponent";
    public const string GraphNeighboursName = "graph_neighbours";
    public const string CategoryWeightName = "category_weight";
    public const string EventTypeWeightsName = "event_type_weights";
    public const string RecencyHalfLifeName = "recency_half_life";
    public const string AlgorithmName = "algorithm";
    public const string LambdaName = "lambda";
    public const string EaseMaxItemsName = "ease_max_items";
    public const string HiddenDimensionName = "hidden_dimension";
    public const string AlsAlphaName = "als_alpha";
    public const string AlsRegularizationName = "als_regularization";
    public const string AlsIterationsName = "als_iterations";
    public const string AlsCgStepsName = "als_cg_steps";

    public AlsOptions AlsOrDefault => Als ?? new AlsOptions();

    public static UserPersonalizationOptions From(IReadOnlyDictionary<string, string> values)
    {
        var algorithm = values.GetValueOrDefault(AlgorithmName, "auto");
        if (algorithm is not ("auto" or "ease" or "graph" or "als"))
            throw new ArgumentException($"hyperparameter {AlgorithmName} must be auto, ease, graph or als (got '{algorithm}')");
        double? lambda = values.TryGetValue(LambdaName, out var text) && text != "auto"
            ? HyperParameters.Double(values, LambdaName, 0, 1e-6, 1e9)
            : null;
        var als = new AlsOptions();
        als = als with
        {
            Factors = HyperParameters.Int(values, HiddenDimensionName, als.Factors, 1, 1024),
            Alpha = HyperParameters.Double(values, AlsAlphaName, als.Alpha, 0, 1e6),
            Regularization = HyperParameters.Double(values, AlsRegularizationName, als.Regularization, 0, 1e6),
            Iterations = HyperParameters.Int(values, AlsIterationsName, als.Iterations, 1, 1000),
            ConjugateGradientSteps = HyperParameters.Int(values, AlsCgStepsName, als.ConjugateGradientSteps, 1, 1000),
        };
        var eventTypeWeights = values.TryGetValue(EventTypeWeightsName, out var weightsText) && weightsText != "auto"
            ? HistoryWeighting.ParseEventTypeWeights(weightsText, EventTypeWeightsName)
            : null;
        double? halfLife = values.TryGetValue(RecencyHalfLifeName, out var halfLifeText) && halfLifeText != "auto"
            ? HyperParameters.Double(values, RecencyHalfLifeName, 0, 0, 1e6)
            : null;
        double? categoryWeight = values.TryGetValue(CategoryWeightName, out var categoryText) && categoryText != "auto"
            ? HyperParameters.Double(values, CategoryWeightName, 0, 0, 1e6)
            : null;
        double? Exponent(string name) => values.TryGetValue(name, out var exponentText) && exponentText != "auto"
            ? HyperParameters.Double(values, name, 0, 0, 4)
            : null;
        return new UserPersonalizationOptions(algorithm, lambda, HyperParameters.Int(values, EaseMaxItemsName, 6000, 0, 100_000), als,
            eventTypeWeights, halfLife, categoryWeight,
            Exponent(GraphRowExponentName), Exponent(GraphColumnExponentName), Exponent(GraphUserExponentName),
            HyperParameters.Int(values, GraphNeighboursName, 1000, 1, 100_000),
            values.TryGetValue(GraphRankName, out var rankText) && rankText != "auto" ? HyperParameters.Int(values, GraphRankName, 0, 0, 1024) : null,
            values.TryGetValue(GraphLowRankWeightName, out var weightText) && weightText != "auto" ? HyperParameters.Double(values, GraphLowRankWeightName, 0, 0, 1e6) : null,
            values.TryGetValue(GraphSharpeningName, out var sharpeningText) && sharpeningText != "auto" ? HyperParameters.Double(values, GraphSharpeningName, 0, 0, 1e6) : null);
    }

    public IReadOnlyDictionary<string, string> ToHyperParameters()
    {
        var als = AlsOrDefault;
        return new Dictionary<string, string>
        {
            [AlgorithmName] = Algorithm,
            [LambdaName] = Lambda is { } l ? HyperParameters.Format(l) : "auto",
            [EaseMaxItemsName] = EaseMaxItems.ToString(CultureInfo.InvariantCulture),
            [HiddenDimensionName] = als.Factors.ToString(CultureInfo.InvariantCulture),
            [AlsAlphaName] = HyperParameters.Format(als.Alpha),
            [AlsRegularizationName] = HyperParameters.Format(als.Regularization),
            [AlsIterationsName] = als.Iterations.ToString(CultureInfo.InvariantCulture),
            [AlsCgStepsName] = als.ConjugateGradientSteps.ToString(CultureInfo.InvariantCulture),
            [EventTypeWeightsName] = EventTypeWeights is { } w ? HistoryWeighting.FormatEventTypeWeights(w) : "auto",
            [RecencyHalfLifeName] = RecencyHalfLife is { } h ? HyperParameters.Format(h) : "auto",
            [CategoryWeightName] = CategoryWeight is { } c ? HyperParameters.Format(c) : "auto",
            [GraphRowExponentName] = GraphRowExponent is { } a ? HyperParameters.Format(a) : "auto",
            [GraphColumnExponentName] = GraphColumnExponent is { } b ? HyperParameters.Format(b) : "auto",
            [GraphUserExponentName] = GraphUserExponent is { } u ? HyperParameters.Format(u) : "auto",
            [GraphNeighboursName] = GraphNeighbours.ToString(CultureInfo.InvariantCulture),
            [GraphRankName] = GraphRank is { } rank ? rank.ToString(CultureInfo.InvariantCulture) : "auto",
            [GraphLowRankWeightName] = GraphLowRankWeight is { } lw ? HyperParameters.Format(lw) : "auto",
            [GraphSharpeningName] = GraphSharpening is { } sh ? HyperParameters.Format(sh) : "auto",
        };
    }

    /// <summary>The history weighting to score with; settings still "auto" count as neutral.</summary>
    public HistoryWeighting Weighting => new(
        EventTypeWeights ?? HistoryWeighting.Neutral.EventTypeWeights, RecencyHalfLife ?? 0);

    /// <summary>
    /// Whether EASE is a candidate for a catalogue of <paramref name="items"/> items: asked for, or (auto) within
    /// <c>ease_max_items</c> and with its dense matrices inside half the available memory. A cost rule: auto then
    /// chooses among the candidates by validation quality.
    /// </summary>
    public bool EaseAffordable(int items)
    {
        if (Algorithm == "ease") return true;
        if (Algorithm != "auto") return false;
        var padded = (long)Numerics.SymmetricInverse.PaddedSize(items);
        // Training holds the float32 inverse and the float32 result at once.
        var bytes = padded * padded * 4 + (long)items * items * 4;
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return items <= EaseMaxItems && bytes <= available / 2;
    }

    /// <summary>The graph filter's options; exponents still "auto" take GF-CF's (0.5, 0.5, 1).</summary>
    public ItemGraphOptions Graph => new(GraphRowExponent ?? 0.5, GraphColumnExponent ?? 0.5, GraphUserExponent ?? 1, GraphNeighbours,
        GraphRank ?? 0, GraphLowRankWeight ?? 0, GraphSharpening ?? 0);

    public bool GraphTuned => GraphRowExponent is not null && GraphColumnExponent is not null && GraphUserExponent is not null
        && GraphRank is not null && GraphLowRankWeight is not null && GraphSharpening is not null;
}
