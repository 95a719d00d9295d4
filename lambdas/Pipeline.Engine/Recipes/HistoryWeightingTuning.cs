using Pipeline.Engine.Datasets;
using Pipeline.Engine.Evaluation;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// Chooses aws-user-personalization's <see cref="HistoryWeighting"/> for EASE on a validation split carved from
/// the training data only: each user's newest 10% (Personalize's holdout looks at the newest interactions),
/// targets restricted to items new to the user, scored by NDCG@10. B is trained once on the split's older 90%
/// with the chosen λ; each candidate only re-weights histories, so the search costs one inverse plus cheap
/// scoring passes. Coordinate search: the recency half-life with neutral type weights, then each event type
/// (the most frequent type stays the unit) over <see cref="TypeWeightGrid"/>, then, when the items have categories,
/// <c>category_weight</c> over <see cref="CategoryWeightGrid"/> and the best value's ×½ and ×2. A candidate replaces
/// the current choice only if it scores at least <see cref="MinRelativeGain"/> higher: gains within validation noise
/// (msweb's file-order "recency" gained 0.1%) keep the simpler, neutral setting.
/// </summary>
public static class HistoryWeightingTuning
{
    public static readonly double[] HalfLifeGrid = [0, 100, 30, 10, 3];
    public static readonly float[] TypeWeightGrid = [1, 2, 4, 8];
    public static readonly double[] CategoryWeightGrid = [0.01, 0.03, 0.1, 0.3, 1, 3];
    public const double MinRelativeGain = 0.005;

    /// <summary>Event types beyond the most frequent one that get their own weight searched; rarer ones weigh 1.</summary>
    public const int MaxTunedEventTypes = 4;

    public sealed record Result(HistoryWeighting Weighting, double CategoryWeight, double Ndcg, IReadOnlyList<(string Candidate, double Ndcg)> Tried);

    /// <summary>Tunes what <paramref name="options"/> leaves null (event-type weights, half-life, category weight) with EASE at <paramref name="lambda"/>.</summary>
    public static Result Select(InteractionDataset training, IReadOnlyList<Pipeline.Domain.Catalog.Item>? items, double lambda,
        UserPersonalizationOptions options, int seed = 23, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var fixedTypeWeights = options.EventTypeWeights;
        var fixedHalfLife = options.RecencyHalfLife;
        ArgumentNullException.ThrowIfNull(training);
        var split = NewItemTargets.Apply(Holdout.Split(training, HoldoutStrategy.Time, seed));
        var matrix = FeedbackMatrix.From(split.Training);
        var scorer = new EaseScorer(Ease.Train(matrix, lambda, cancellationToken), matrix.ItemCount, lambda);
        var popularity = new int[matrix.ItemCount];
        for (var i = 0; i < popularity.Length; i++) popularity[i] = matrix.Popularity(i);
        var categories = CategoryAffinity.From(matrix.ItemIds, popularity, items);
        var validation = new ValidationNdcg(split);
        var tried = new List<(string, double)>();
        var categoryWeight = options.CategoryWeight ?? 0;

        double Score(HistoryWeighting weighting)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (history, weights) = RecencyHistories.Build(split.Training, matrix, weighting);
            var candidate = new UserPersonalizationOptions("ease", lambda, EventTypeWeights: weighting.EventTypeWeights,
                RecencyHalfLife: weighting.RecencyHalfLife, CategoryWeight: categoryWeight);
            var model = new UserPersonalizationModel(matrix.ItemIds, popularity, matrix.UserIds, matrix.UserOffsets, history,
                scorer, candidate, ItemCreationTimes.Empty, 0, userItemWeights: weights, categories: categories);
            var ndcg = validation.Of(model, cancellationToken);
            tried.Add(($"{UserPersonalizationOptions.EventTypeWeightsName}={HistoryWeighting.FormatEventTypeWeights(weighting.EventTypeWeights)} " +
                $"{UserPersonalizationOptions.RecencyHalfLifeName}={weighting.RecencyHalfLife} {UserPersonalizationOptions.CategoryWeightName}={categoryWeight}", ndcg));
            return ndcg;
        }

        var best = new HistoryWeighting(fixedTypeWeights ?? new Dictionary<string, float>(StringComparer.Ordinal), fixedHalfLife ?? 0);
        var bestNdcg = Score(best);
        if (fixedHalfLife is null)
            foreach (var halfLife in HalfLifeGrid)
            {
                if (halfLife == best.RecencyHalfLife) continue;
                var candidate = best with { RecencyHalfLife = halfLife };
                var ndcg = Score(candidate);
                if (Beats(ndcg, bestNdcg)) (best, bestNdcg) = (candidate, ndcg);
            }
        if (fixedTypeWeights is null)
            foreach (var type in TunableTypes(split.Training))
                foreach (var weight in TypeWeightGrid)
                {
                    if (weight == best.WeightOf(type)) continue;
                    var weights = new Dictionary<string, float>(best.EventTypeWeights, StringComparer.Ordinal) { [type] = weight };
                    var candidate = best with { EventTypeWeights = weights };
                    var ndcg = Score(candidate);
                    if (Beats(ndcg, bestNdcg)) (best, bestNdcg) = (candidate, ndcg);
                }
        if (options.CategoryWeight is null && categories is not null)
        {
            var bestCategoryWeight = categoryWeight;
            void Try(double value)
            {
                categoryWeight = value;
                var ndcg = Score(best);
                if (Beats(ndcg, bestNdcg)) (bestCategoryWeight, bestNdcg) = (value, ndcg);
            }
            foreach (var value in CategoryWeightGrid) Try(value);
            if (bestCategoryWeight > 0)
            {
                var coarse = bestCategoryWeight;
                Try(coarse / 2);
                Try(coarse * 2);
            }
            categoryWeight = bestCategoryWeight;
        }
        return new Result(best, categoryWeight, bestNdcg, tried);
    }

    private static bool Beats(double candidate, double incumbent) => candidate > incumbent * (1 + MinRelativeGain);

    /// <summary>Event types by frequency, all but the most frequent (the unit), at most <see cref="MaxTunedEventTypes"/>.</summary>
    private static IEnumerable<string> TunableTypes(InteractionDataset dataset)
    {
        var counts = new long[dataset.EventTypes.Count];
        foreach (var code in dataset.EventTypeCodes) counts[code]++;
        return Enumerable.Range(0, counts.Length)
            .Where(t => counts[t] > 0 && dataset.EventTypes[t].Length > 0)
            .OrderByDescending(t => counts[t])
            .Skip(1)
            .Take(MaxTunedEventTypes)
            .Select(t => dataset.EventTypes[t])
            .ToList();
    }
}
