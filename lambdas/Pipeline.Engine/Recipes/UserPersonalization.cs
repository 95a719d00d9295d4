using System.Globalization;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Evaluation;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// Trains aws-user-personalization. With <c>algorithm</c> auto, the candidates are measured on one validation split
/// (the one given with the data, else a random 10% of each user's interactions carved from them, new items only)
/// by NDCG@10, and the better one is trained on all the data: the graph filter (<see cref="ItemGraph"/>, exponents
/// tuned by <see cref="ItemGraphTuning"/>) always, EASE (λ tuned by <see cref="EaseTuning"/>) when it is affordable
/// (<see cref="UserPersonalizationOptions.EaseAffordable"/>). For EASE the history weighting (event types, recency,
/// categories) left on "auto" is tuned (<see cref="HistoryWeightingTuning"/>) before the comparison, so the graph
/// filter is measured against EASE as it would be served. ALS only when asked for.
/// </summary>
public static class UserPersonalization
{
    public static UserPersonalizationModel Train(TrainingData data, UserPersonalizationOptions? options = null, CancellationToken cancellationToken = default) =>
        Train(data, options, null, cancellationToken);

    /// <summary>As <see cref="Train(TrainingData, UserPersonalizationOptions?, CancellationToken)"/>; <paramref name="validationNdcg"/> receives each measured candidate's validation NDCG@10.</summary>
    public static UserPersonalizationModel Train(TrainingData data, UserPersonalizationOptions? options, IDictionary<string, double>? validationNdcg,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new UserPersonalizationOptions();
        var dataset = data.Interactions;
        var matrix = FeedbackMatrix.From(dataset);
        var selection = validationNdcg ?? new Dictionary<string, double>(StringComparer.Ordinal);
        IUserScorer scorer;
        UserPersonalizationOptions resolved;
        if (options.Algorithm == "als")
        {
            var als = options.AlsOrDefault;
            var (users, items) = Als.Train(matrix, als, cancellationToken);
            scorer = new AlsScorer(users, items, als);
            // ALS scores from the user factor: history weights would not change its ranking, so they resolve to neutral.
            resolved = options with
            {
                EventTypeWeights = HistoryWeighting.Neutral.EventTypeWeights, RecencyHalfLife = 0, CategoryWeight = 0,
            };
        }
        else
        {
            var useEase = options.Algorithm == "ease";
            var lambda = options.Lambda;
            var graph = options.Graph;
            (HistoryWeighting Weighting, double CategoryWeight)? easeWeighting = null;
            var needsValidation = options.Algorithm == "auto" || (useEase && lambda is null) || (options.Algorithm == "graph" && !options.GraphTuned);
            if (needsValidation)
            {
                var split = data.Validation ?? EaseTuning.Split(dataset);
                var easeCandidate = options.EaseAffordable(matrix.ItemCount);
                if (options.Algorithm != "ease")
                {
                    graph = SelectGraph(split, options, selection, cancellationToken);
                    // Measured as built (rows cut, low-pass part included) only when there is something to compare it with.
                    if (easeCandidate && options.Algorithm == "auto")
                        selection["graph"] = ValidationOf(split, m => GraphOn(m, graph, cancellationToken), options with { Algorithm = "graph" }, cancellationToken);
                }
                if (easeCandidate)
                {
                    var easeNdcg = double.NaN;
                    if (lambda is null)
                    {
                        var tuned = EaseTuning.SelectLambda(split, cancellationToken);
                        lambda = tuned.Lambda;
                        easeNdcg = tuned.NdcgByLambda[tuned.Lambda];
                    }
                    else if (options.Algorithm == "auto") easeNdcg = ValidationOf(split, m => EaseOn(m, lambda.Value, cancellationToken), options with { Algorithm = "ease" }, cancellationToken);
                    if (!double.IsNaN(easeNdcg)) selection["ease"] = easeNdcg;
                    if (selection.ContainsKey("graph") && WeightingAuto(options))
                    {
                        // EASE is served with its history weighting tuned: compare the graph with that model, not the plain one.
                        easeWeighting = TuneWeighting(data, lambda!.Value, options, cancellationToken);
                        if (!easeWeighting.Value.Weighting.IsNeutral || easeWeighting.Value.CategoryWeight > 0)
                            selection["ease weighted"] = easeNdcg = Math.Max(easeNdcg,
                                WeightedEaseValidation(split, data.Items, lambda.Value, easeWeighting.Value, options, cancellationToken));
                    }
                    useEase = useEase || !(selection.TryGetValue("graph", out var graphNdcg) && graphNdcg > easeNdcg);
                }
            }
            if (useEase)
            {
                var l = lambda ?? EaseTuning.SelectLambda(dataset, cancellationToken: cancellationToken).Lambda;
                var (weighting, categoryWeight) = WeightingAuto(options)
                    ? easeWeighting ?? TuneWeighting(data, l, options, cancellationToken)
                    : (options.Weighting, options.CategoryWeight!.Value);
                scorer = EaseOn(matrix, l, cancellationToken);
                resolved = options with
                {
                    Algorithm = "ease", Lambda = l,
                    EventTypeWeights = weighting.EventTypeWeights, RecencyHalfLife = weighting.RecencyHalfLife, CategoryWeight = categoryWeight,
                };
            }
            else
            {
                scorer = GraphOn(matrix, graph, cancellationToken);
                // The graph filter scores unweighted histories unless weights are given; categories stay off.
                resolved = options with
                {
                    Algorithm = "graph",
                    GraphRowExponent = graph.RowExponent, GraphColumnExponent = graph.ColumnExponent, GraphUserExponent = graph.UserExponent,
                    GraphRank = graph.Rank, GraphLowRankWeight = graph.LowRankWeight, GraphSharpening = graph.Sharpening,
                    EventTypeWeights = options.EventTypeWeights ?? HistoryWeighting.Neutral.EventTypeWeights,
                    RecencyHalfLife = options.RecencyHalfLife ?? 0,
                    CategoryWeight = 0,
                };
            }
        }
        var popularity = Popularity(matrix);
        var referenceTime = dataset.Count == 0 ? 0 : Max(dataset.Timestamps);
        var (histories, weights) = RecencyHistories.Build(dataset, matrix, resolved.Weighting);
        return new UserPersonalizationModel(matrix.ItemIds, popularity, matrix.UserIds, matrix.UserOffsets, histories,
            scorer, resolved, ItemCreationTimes.From(data.Items), referenceTime, userItemWeights: weights,
            categories: CategoryAffinity.From(matrix.ItemIds, popularity, data.Items));
    }

    /// <summary>
    /// The graph filter's settings, tuned on the validation split where "auto". With the spectral part to tune, the
    /// candidates are GF-CF's structure (row exponent ½, user exponent 1, unless given) over
    /// <see cref="ItemGraphTuning.ColumnExponentsWithLowRank"/>, each with the rank, low-pass weight and BSPM sharpening
    /// grid; with the spectral part fixed, the exponents are searched on the filter alone (<see cref="ItemGraphTuning.Select"/>).
    /// </summary>
    private static ItemGraphOptions SelectGraph(HoldoutSplit split, UserPersonalizationOptions options, IDictionary<string, double> selection,
        CancellationToken cancellationToken)
    {
        var matrix = FeedbackMatrix.From(split.Training);
        var graph = options.Graph;
        var exponentsAuto = options.GraphRowExponent is null || options.GraphColumnExponent is null || options.GraphUserExponent is null;
        if (options.GraphRank is not null && options.GraphLowRankWeight is not null && options.GraphSharpening is not null)
        {
            if (!exponentsAuto) return graph;
            var result = ItemGraphTuning.Select(matrix, split, options.GraphNeighbours, cancellationToken);
            foreach (var (candidate, ndcg) in result.NdcgByExponents) selection["graph " + candidate] = ndcg;
            var tuned = result.Options;
            return graph with
            {
                RowExponent = options.GraphRowExponent ?? tuned.RowExponent,
                ColumnExponent = options.GraphColumnExponent ?? tuned.ColumnExponent,
                UserExponent = options.GraphUserExponent ?? tuned.UserExponent,
            };
        }
        var candidates = (options.GraphColumnExponent is { } fixedColumn ? [fixedColumn] : ItemGraphTuning.ColumnExponentsWithLowRank)
            .Select(b => graph with { RowExponent = options.GraphRowExponent ?? 0.5, ColumnExponent = b, UserExponent = options.GraphUserExponent ?? 1 })
            .ToArray();
        var coOccurrence = ItemGraph.CoOccurrence(matrix, candidates[0].UserExponent, cancellationToken);
        var rowScale = ItemGraph.ItemScale(matrix, candidates[0].RowExponent);
        var linears = candidates.Select(c => ItemGraph.Filter(coOccurrence, rowScale, ItemGraph.ItemScale(matrix, c.ColumnExponent), c.Neighbours, cancellationToken)).ToArray();
        var computed = options.GraphRank is { } givenRank and > 0 ? givenRank : ItemGraphTuning.Ranks[^1];
        var (vectors, singular) = ItemSpectrum.Compute(matrix, computed, cancellationToken: cancellationToken);
        computed = vectors.Length / Math.Max(1, matrix.ItemCount);
        var choice = ItemGraphTuning.SelectLowRank(matrix, split, linears, vectors, singular, computed, cancellationToken);
        foreach (var (candidate, ndcg) in choice.NdcgByCandidate)
        {
            var b = candidates[int.Parse(candidate[2..candidate.IndexOf(' ')], CultureInfo.InvariantCulture)].ColumnExponent;
            selection[FormattableString.Invariant($"graph b={b}{candidate[candidate.IndexOf(' ')..]}")] = ndcg;
        }
        return candidates[choice.Linear] with
        {
            Rank = options.GraphRank ?? choice.Rank,
            LowRankWeight = options.GraphLowRankWeight ?? choice.Weight,
            Sharpening = options.GraphSharpening ?? choice.Sharpening,
        };
    }

    private static bool WeightingAuto(UserPersonalizationOptions options) =>
        options.EventTypeWeights is null || options.RecencyHalfLife is null || options.CategoryWeight is null;

    private static (HistoryWeighting Weighting, double CategoryWeight) TuneWeighting(TrainingData data, double lambda, UserPersonalizationOptions options,
        CancellationToken cancellationToken)
    {
        var tuned = HistoryWeightingTuning.Select(data.Interactions, data.Items, lambda, options, cancellationToken: cancellationToken);
        return (tuned.Weighting, tuned.CategoryWeight);
    }

    /// <summary>Validation NDCG@10 of EASE at <paramref name="lambda"/> scoring weighted histories (and categories) as it would be served.</summary>
    private static double WeightedEaseValidation(HoldoutSplit split, IReadOnlyList<Pipeline.Domain.Catalog.Item>? items, double lambda,
        (HistoryWeighting Weighting, double CategoryWeight) weighting, UserPersonalizationOptions options, CancellationToken cancellationToken)
    {
        var matrix = FeedbackMatrix.From(split.Training);
        var popularity = Popularity(matrix);
        var (histories, weights) = RecencyHistories.Build(split.Training, matrix, weighting.Weighting);
        var model = new UserPersonalizationModel(matrix.ItemIds, popularity, matrix.UserIds, matrix.UserOffsets, histories,
            EaseOn(matrix, lambda, cancellationToken), options with
            {
                Algorithm = "ease", Lambda = lambda, EventTypeWeights = weighting.Weighting.EventTypeWeights,
                RecencyHalfLife = weighting.Weighting.RecencyHalfLife, CategoryWeight = weighting.CategoryWeight,
            },
            ItemCreationTimes.Empty, 0, userItemWeights: weights, categories: CategoryAffinity.From(matrix.ItemIds, popularity, items));
        return new ValidationNdcg(split).Of(model, cancellationToken);
    }

    private static double ValidationOf(HoldoutSplit split, Func<FeedbackMatrix, IUserScorer> train, UserPersonalizationOptions options, CancellationToken cancellationToken)
    {
        var matrix = FeedbackMatrix.From(split.Training);
        var model = new UserPersonalizationModel(matrix.ItemIds, Popularity(matrix), matrix.UserIds, matrix.UserOffsets, matrix.UserItems,
            train(matrix), options with { EventTypeWeights = HistoryWeighting.Neutral.EventTypeWeights, RecencyHalfLife = 0, CategoryWeight = 0 },
            ItemCreationTimes.Empty, 0);
        return new ValidationNdcg(split).Of(model, cancellationToken);
    }

    private static EaseScorer EaseOn(FeedbackMatrix matrix, double lambda, CancellationToken cancellationToken) =>
        new(Ease.Train(matrix, lambda, cancellationToken), matrix.ItemCount, lambda);

    private static ItemGraphScorer GraphOn(FeedbackMatrix matrix, ItemGraphOptions graph, CancellationToken cancellationToken)
    {
        var filter = LinearFilter(matrix, graph, cancellationToken);
        LowRankFilter? lowRank = null;
        if (graph.Rank > 0 && (graph.LowRankWeight > 0 || graph.Sharpening > 0))
        {
            var (vectors, singular) = ItemSpectrum.Compute(matrix, graph.Rank, cancellationToken: cancellationToken);
            var computed = vectors.Length / Math.Max(1, matrix.ItemCount);
            lowRank = LowRankFilter.From(matrix, vectors, singular, computed, computed, (float)graph.LowRankWeight, (float)graph.Sharpening);
            graph = graph with { Rank = computed };
        }
        return new ItemGraphScorer(filter, graph, lowRank);
    }

    private static SparseRows LinearFilter(FeedbackMatrix matrix, ItemGraphOptions graph, CancellationToken cancellationToken)
    {
        var coOccurrence = ItemGraph.CoOccurrence(matrix, graph.UserExponent, cancellationToken);
        return ItemGraph.Filter(coOccurrence, ItemGraph.ItemScale(matrix, graph.RowExponent), ItemGraph.ItemScale(matrix, graph.ColumnExponent),
            graph.Neighbours, cancellationToken);
    }

    private static int[] Popularity(FeedbackMatrix matrix)
    {
        var popularity = new int[matrix.ItemCount];
        for (var i = 0; i < popularity.Length; i++) popularity[i] = matrix.Popularity(i);
        return popularity;
    }

    private static long Max(ReadOnlySpan<long> values)
    {
        var max = long.MinValue;
        foreach (var v in values) if (v > max) max = v;
        return max;
    }
}
