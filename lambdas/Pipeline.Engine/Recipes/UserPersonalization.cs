using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Recipes;

/// <summary>Trains aws-user-personalization: EASE for catalogues up to the options' threshold, implicit ALS beyond.</summary>
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
            scorer = new EaseScorer(Ease.Train(matrix, lambda, cancellationToken), matrix.ItemCount, lambda);
            resolved = options with { Algorithm = "ease", Lambda = lambda };
        }
        else
        {
            var als = options.AlsOrDefault;
            var (users, items) = Als.Train(matrix, als, cancellationToken);
            scorer = new AlsScorer(users, items, als);
            resolved = options with { Algorithm = "als" };
        }
        var popularity = new int[matrix.ItemCount];
        for (var i = 0; i < popularity.Length; i++) popularity[i] = matrix.Popularity(i);
        var referenceTime = dataset.Count == 0 ? 0 : Max(dataset.Timestamps);
        return new UserPersonalizationModel(matrix.ItemIds, popularity, matrix.UserIds, matrix.UserOffsets, matrix.UserItems,
            scorer, resolved, ItemCreationTimes.From(data.Items), referenceTime);
    }

    private static long Max(ReadOnlySpan<long> values)
    {
        var max = long.MinValue;
        foreach (var v in values) if (v > max) max = v;
        return max;
    }
}
