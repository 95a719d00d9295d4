namespace Pipeline.Domain.Recommendations;

/// <summary>
/// A model that honours a campaign's <c>itemExplorationConfig</c> (explorationWeight, explorationItemAgeCutOff).
/// The returned model serves that campaign and must share state with this one, so real-time events reach it.
/// Models without it serve the same results whatever the campaign's config.
/// </summary>
public interface IAcceptsCampaignConfig
{
    IRecommendationModel WithItemExploration(IReadOnlyDictionary<string, string> itemExplorationConfig);
}
