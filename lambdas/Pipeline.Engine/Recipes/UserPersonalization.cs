using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// Trains aws-user-personalization: EASE for catalogues up to the options' threshold, implicit ALS beyond. For EASE,
/// λ and then the history weighting (event types, recency) left on "auto" are tuned on validation splits of the
/// training data (<see cref="EaseTuning"/>, <see cref="HistoryWeightingTuning"/>).
/// </summary>
public static class UserPersonalization
{
    public static UserPersonalizationModel Train(TrainingData data, UserPersonalizationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new UserPersonalizationOptions();
        var dataset = data.Interactions;
        var matrix = FeedbackMatrix.From(dataset);
        IUserScorer scorer;
        var resolved = options;
        if (options.Choose(matrix.ItemCount) == UserPersonalizationAlgorithm.Ease)
        {
            var lambda = options.Lambda ?? EaseTuning.SelectLambda(dataset, cancellationToken: cancellationToken).Lambda;
            var (weighting, categoryWeight) = options.EventTypeWeights is null || options.RecencyHalfLife is null || options.CategoryWeight is null
                ? HistoryWeightingTuning.Select(dataset, data.Items, lambda, options, cancellationToken: cancellationToken) is var tuned
                    ? (tuned.Weighting, tuned.CategoryWeight)
                    : default
                : (options.Weighting, options.CategoryWeight!.Value);
            scorer = new EaseScorer(Ease.Train(matrix, lambda, cancellationToken), matrix.ItemCount, lambda);
            resolved = options with
            {
                Algorithm = "ease", Lambda = lambda,
                EventTypeWeights = weighting.EventTypeWeights, RecencyHalfLife = weighting.RecencyHalfLife, CategoryWeight = categoryWeight,
            };
        }
        else
        {
            var als = options.AlsOrDefault;
            var (users, items) = Als.Train(matrix, als, cancellationToken);
            scorer = new AlsScorer(users, items, als);
            // ALS scores from the user factor: history weights would not change its ranking, so they resolve to neutral.
            resolved = options with
            {
                Algorithm = "als",
                EventTypeWeights = HistoryWeighting.Neutral.EventTypeWeights, RecencyHalfLife = 0, CategoryWeight = 0,
            };
        }
        var popularity = new int[matrix.ItemCount];
        for (var i = 0; i < popularity.Length; i++) popularity[i] = matrix.Popularity(i);
        var referenceTime = dataset.Count == 0 ? 0 : Max(dataset.Timestamps);
        var (histories, weights) = RecencyHistories.Build(dataset, matrix, resolved.Weighting);
        return new UserPersonalizationModel(matrix.ItemIds, popularity, matrix.UserIds, matrix.UserOffsets, histories,
            scorer, resolved, ItemCreationTimes.From(data.Items), referenceTime, userItemWeights: weights,
            categories: CategoryAffinity.From(matrix.ItemIds, popularity, data.Items));
    }

    private static long Max(ReadOnlySpan<long> values)
    {
        var max = long.MinValue;
        foreach (var v in values) if (v > max) max = v;
        return max;
    }
}
