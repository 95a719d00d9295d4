using Pipeline.Engine.Datasets;
using Pipeline.Engine.Evaluation;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// Chooses EASE's λ on a validation split carved from the training data only (a random 10% of each user's
/// interactions, targets restricted to items new to the user as the model never re-recommends), by NDCG@10: a ×4 grid, then the best value's ×½ and ×2 neighbours.
/// Every candidate costs an n³ inverse, so catalogues above <see cref="FullSearchMaxItems"/> try only
/// <see cref="ShortGrid"/> (4 inverses with the final one instead of 9: 6,000 items stay near 30 s on two cores).
/// </summary>
public static class EaseTuning
{
    public static readonly double[] CoarseGrid = [2, 8, 32, 128, 512, 2048];
    public static readonly double[] ShortGrid = [64, 256, 1024];
    public const int FullSearchMaxItems = 2500;

    public sealed record Result(double Lambda, IReadOnlyDictionary<double, double> NdcgByLambda);

    public static Result SelectLambda(InteractionDataset training, int seed = 17, CancellationToken cancellationToken = default)
    {
        var split = NewItemTargets.Apply(Holdout.Split(training, HoldoutStrategy.Random, seed));
        var matrix = FeedbackMatrix.From(split.Training);
        var popularity = new int[matrix.ItemCount];
        for (var i = 0; i < popularity.Length; i++) popularity[i] = matrix.Popularity(i);
        var tried = new SortedDictionary<double, double>();
        double Score(double lambda)
        {
            if (tried.TryGetValue(lambda, out var known)) return known;
            var scorer = new EaseScorer(Ease.Train(matrix, lambda, cancellationToken), matrix.ItemCount, lambda);
            var model = new UserPersonalizationModel(matrix.ItemIds, popularity, matrix.UserIds, matrix.UserOffsets, matrix.UserItems,
                scorer, new UserPersonalizationOptions("ease", lambda), ItemCreationTimes.Empty, 0);
            var ndcg = OfflineEvaluator.EvaluateAsync(model, split, cancellationToken).GetAwaiter().GetResult()[MetricNames.NdcgAt10];
            return tried[lambda] = ndcg;
        }
        if (matrix.ItemCount > FullSearchMaxItems) return new Result(ShortGrid.MaxBy(Score), tried);
        var best = CoarseGrid.MaxBy(Score);
        var refined = new[] { best / 2, best, best * 2 }.MaxBy(Score);
        return new Result(refined, tried);
    }
}
