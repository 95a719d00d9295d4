using Pipeline.Engine.Datasets;
using Pipeline.Engine.Evaluation;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// Chooses EASE's λ on a validation split carved from the training data only (a random 10% of each user's
/// interactions, targets restricted to items new to the user as the model never re-recommends), by NDCG@10.
/// Every candidate costs an n³ inverse, so the ×4 grid <see cref="CoarseGrid"/> is walked rather than swept: from
/// <see cref="StartLambda"/> towards the better neighbour while NDCG@10 keeps rising, then the best value's ×½ or
/// ×2, whichever lies towards its better neighbour. Validation NDCG@10 over log λ has one peak on every dataset
/// tried (generated 1k and 10k users, msweb), where this lands on the sweep's pick (the coarse grid, then both
/// ×½ and ×2) with 4–5 inverses instead of 8. Catalogues above
/// <see cref="FullSearchMaxItems"/> try only <see cref="ShortGrid"/> (6,000 items stay near 30 s on two cores).
/// </summary>
public static class EaseTuning
{
    public static readonly double[] CoarseGrid = [2, 8, 32, 128, 512, 2048];
    public static readonly double[] ShortGrid = [64, 256, 1024];
    public const double StartLambda = 128;
    public const int FullSearchMaxItems = 2500;

    public sealed record Result(double Lambda, IReadOnlyDictionary<double, double> NdcgByLambda);

    public static Result SelectLambda(InteractionDataset training, int seed = 17, CancellationToken cancellationToken = default) =>
        SelectLambda(Split(training, seed), cancellationToken);

    /// <summary>The validation split λ tuning carves from <paramref name="training"/> when none is given.</summary>
    public static HoldoutSplit Split(InteractionDataset training, int seed = 17) =>
        NewItemTargets.Apply(Holdout.Split(training, HoldoutStrategy.Random, seed));

    /// <summary>Tunes λ on a given validation split (its training rows and targets).</summary>
    public static Result SelectLambda(HoldoutSplit split, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(split);
        var matrix = FeedbackMatrix.From(split.Training);
        var popularity = new int[matrix.ItemCount];
        for (var i = 0; i < popularity.Length; i++) popularity[i] = matrix.Popularity(i);
        var validation = new ValidationNdcg(split);
        var candidates = new EaseCandidates(matrix, cancellationToken);
        var tried = new SortedDictionary<double, double>();
        double Score(double lambda)
        {
            if (tried.TryGetValue(lambda, out var known)) return known;
            var scorer = new EaseScorer(candidates.Train(lambda, cancellationToken), matrix.ItemCount, lambda);
            var model = new UserPersonalizationModel(matrix.ItemIds, popularity, matrix.UserIds, matrix.UserOffsets, matrix.UserItems,
                scorer, new UserPersonalizationOptions("ease", lambda), ItemCreationTimes.Empty, 0);
            return tried[lambda] = validation.Of(model, cancellationToken);
        }
        if (matrix.ItemCount > FullSearchMaxItems) return new Result(ShortGrid.MaxBy(Score), tried);
        var best = Walk(CoarseGrid, Array.IndexOf(CoarseGrid, StartLambda), Score);
        // Refine on the side of the better coarse neighbour only: with one peak, the top lies between the best
        // value and that neighbour (a missing neighbour, beyond the grid, counts as worse).
        var index = Array.IndexOf(CoarseGrid, best);
        var below = index > 0 ? Score(CoarseGrid[index - 1]) : double.NegativeInfinity;
        var above = index < CoarseGrid.Length - 1 ? Score(CoarseGrid[index + 1]) : double.NegativeInfinity;
        var refined = new[] { best, above > below ? best * 2 : best / 2 }.MaxBy(Score);
        return new Result(refined, tried);
    }

    /// <summary>
    /// Hill-climbs <paramref name="grid"/> from <paramref name="start"/>: scores both neighbours, then keeps stepping
    /// towards the better one while the score rises. Ties keep the value already held.
    /// </summary>
    public static double Walk(IReadOnlyList<double> grid, int start, Func<double, double> score)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(score);
        var at = start;
        var best = score(grid[at]);
        var left = at > 0 ? score(grid[at - 1]) : double.NegativeInfinity;
        var right = at < grid.Count - 1 ? score(grid[at + 1]) : double.NegativeInfinity;
        if (left <= best && right <= best) return grid[at];
        var step = right > left ? 1 : -1;
        at += step;
        best = Math.Max(left, right);
        while (at + step >= 0 && at + step < grid.Count)
        {
            var next = score(grid[at + step]);
            if (!(next > best)) break;
            (at, best) = (at + step, next);
        }
        return grid[at];
    }
}
