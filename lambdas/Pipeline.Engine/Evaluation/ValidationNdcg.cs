using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Evaluation;

/// <summary>
/// The NDCG@10 <see cref="OfflineEvaluator"/> reports, for hyperparameter tuning: the same users, ranking and mean,
/// but only the top 10 asked for and the users scored on every core (a tuning run scores one split a dozen or more
/// times, and one user's scoring does not depend on another's). Per-user values are summed in user order, so the
/// result does not depend on the thread schedule.
/// </summary>
public sealed class ValidationNdcg(HoldoutSplit split)
{
    private const int K = 10;
    private readonly HoldoutUser[] _users = [.. split.TestUsers];

    public double Of(UserPersonalizationModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var users = _users;
        if (users.Length == 0) return 0;
        var perUser = new double[users.Length];
        Parallel.For(0, users.Length, new ParallelOptions { CancellationToken = cancellationToken },
            () => (Picks: new ScoredItem[K], Ids: new string[K]),
            (u, _, buffers) =>
            {
                var count = model.Recommend(users[u].UserId, buffers.Picks);
                for (var r = 0; r < count; r++) buffers.Ids[r] = buffers.Picks[r].ItemId;
                perUser[u] = RankingMetrics.Ndcg(new ArraySegment<string>(buffers.Ids, 0, count), users[u].TargetItemIds, K);
                return buffers;
            },
            _ => { });
        var sum = 0.0;
        foreach (var value in perUser) sum += value;
        return sum / users.Length;
    }
}
