namespace Pipeline.Domain.Recommendations;

/// <summary>
/// One entry of a personalized ranking. <see cref="Score"/> is null for an item the model never saw in training:
/// Personalize returns such items at the end of the list without a score, and a null keeps "unknown" apart
/// from "scored zero".
/// </summary>
public readonly record struct RankedItem(string ItemId, double? Score);

/// <summary>A model that re-ranks a caller's candidate list for a user (Personalize's GetPersonalizedRanking).</summary>
public interface IRankingModel : IRecommendationModel
{
    /// <summary>GetPersonalizedRanking's limit on the input list.</summary>
    const int MaxInputItems = 500;

    /// <summary>
    /// The candidates, most likely first: scored items by descending score, then unknown items in input order
    /// with a null score. Duplicates keep their first occurrence. More than <see cref="MaxInputItems"/>
    /// candidates is an <see cref="ArgumentException"/>.
    /// </summary>
    ValueTask<IReadOnlyList<RankedItem>> RankAsync(string userId, IReadOnlyList<string> itemIds, CancellationToken cancellationToken = default);
}
