using Pipeline.Engine.Datasets;
using Pipeline.Engine.Evaluation;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// Chooses aws-user-personalization's <see cref="HistoryWeighting"/> for EASE on a validation split carved from
/// the training data only: each user's newest 10% (Personalize's holdout looks at the newest interactions),
/// targets restricted to items new to the user, scored by NDCG@10. B is trained once on the split's older 90%
/// with the chosen λ; each candidate only re-weights histories, so the search costs one inverse plus cheap
/// scoring passes. Coordinate search: the recency half-life with neutral type weights, then each event type
/// (the most frequent type stays the unit) over <see cref="TypeWeightGrid"/>. A candidate replaces the current
/// choice only if it scores strictly higher, so data with no such signal keeps the neutral weighting.
/// </summary>
public static class HistoryWeightingTuning
{
    public static readonly double[] HalfLifeGrid = [0, 100, 30, 10, 3];
    public static readonly float[] TypeWeightGrid = [1, 2, 4, 8];

    /// <summary>Event types beyond the most frequent one that get their own weight searched; rarer ones weigh 1.</summary>
    public const int MaxTunedEventTypes = 4;

    public sealed record Result(HistoryWeighting Weighting, double Ndcg, IReadOnlyList<(string Candidate, double Ndcg)> Tried);

    public static Result Select(InteractionDataset training, double lambda, IReadOnlyDictionary<string, float>? fixedTypeWeights,
        double? fixedHalfLife, int seed = 23, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        var split = NewItemTargets.Apply(Holdout.Split(training, HoldoutStrategy.Time, seed));
        var matrix = FeedbackMatrix.From(split.Training);
        var scorer = new EaseScorer(Ease.Train(matrix, lambda, cancellationToken), matrix.ItemCount, lambda);
        var popularity = new int[matrix.ItemCount];
        for (var i = 0; i < popularity.Length; i++) popularity[i] = matrix.Popularity(i);
        var tried = new List<(string, double)>();

        double Score(HistoryWeighting weighting)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (items, weights) = RecencyHistories.Build(split.Training, matrix, weighting);
            var options = new UserPersonalizationOptions("ease", lambda, EventTypeWeights: weighting.EventTypeWeights, RecencyHalfLife: weighting.RecencyHalfLife);
            var model = new UserPersonalizationModel(matrix.ItemIds, popularity, matrix.UserIds, matrix.UserOffsets, items,
                scorer, options, ItemCreationTimes.Empty, 0, userItemWeights: weights);
            var ndcg = OfflineEvaluator.EvaluateAsync(model, split, cancellationToken).GetAwaiter().GetResult()[MetricNames.NdcgAt10];
            tried.Add(($"{UserPersonalizationOptions.EventTypeWeightsName}={HistoryWeighting.FormatEventTypeWeights(weighting.EventTypeWeights)} {UserPersonalizationOptions.RecencyHalfLifeName}={weighting.RecencyHalfLife}", ndcg));
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
                if (ndcg > bestNdcg) (best, bestNdcg) = (candidate, ndcg);
            }
        if (fixedTypeWeights is null)
            foreach (var type in TunableTypes(split.Training))
                foreach (var weight in TypeWeightGrid)
                {
                    if (weight == best.WeightOf(type)) continue;
                    var weights = new Dictionary<string, float>(best.EventTypeWeights, StringComparer.Ordinal) { [type] = weight };
                    var candidate = best with { EventTypeWeights = weights };
                    var ndcg = Score(candidate);
                    if (ndcg > bestNdcg) (best, bestNdcg) = (candidate, ndcg);
                }
        return new Result(best, bestNdcg, tried);
    }

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
