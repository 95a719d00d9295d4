using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Models;
using RecipeNames = Pipeline.Domain.Recommendations.Recipes;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// aws-personalized-ranking's artifact payload: item ids and popularity, the neighbour lists (offsets, items,
/// weights) and the users' kept histories (ids, offsets, items). The options travel as header parameters.
/// </summary>
public sealed class PersonalizedRankingSerializer : IModelPayloadSerializer
{
    public string Recipe => RecipeNames.PersonalizedRanking;

    public IReadOnlyDictionary<string, string> Parameters(IRecommendationModel model) => Cast(model).Options.ToHyperParameters();

    public void Write(BinaryWriter payload, IRecommendationModel model)
    {
        var ranking = Cast(model);
        PayloadColumns.WriteStrings(payload, ranking.ItemIds);
        PayloadColumns.WriteInts(payload, ranking.PopularityColumn);
        PayloadColumns.WriteInts(payload, ranking.NeighborOffsetsColumn);
        PayloadColumns.WriteInts(payload, ranking.NeighborItemsColumn);
        PayloadColumns.WriteFloats(payload, ranking.NeighborWeightsColumn);
        PayloadColumns.WriteStrings(payload, ranking.UserIds);
        PayloadColumns.WriteInts(payload, ranking.HistoryOffsetsColumn);
        PayloadColumns.WriteInts(payload, ranking.HistoryItemsColumn);
    }

    public IRecommendationModel Read(BinaryReader payload, IReadOnlyDictionary<string, string> parameters)
    {
        var itemIds = PayloadColumns.ReadStrings(payload, "item ids");
        var popularity = PayloadColumns.ReadInts(payload, "popularity");
        var neighborOffsets = PayloadColumns.ReadInts(payload, "neighbour offsets");
        var neighborItems = PayloadColumns.ReadInts(payload, "neighbour items");
        var neighborWeights = PayloadColumns.ReadFloats(payload, "neighbour weights");
        var userIds = PayloadColumns.ReadStrings(payload, "user ids");
        var historyOffsets = PayloadColumns.ReadInts(payload, "history offsets");
        var historyItems = PayloadColumns.ReadInts(payload, "history items");

        if (popularity.Length != itemIds.Length) throw new InvalidModelArtifactException("ranking payload: popularity does not match the items");
        if (neighborWeights.Length != neighborItems.Length) throw new InvalidModelArtifactException("ranking payload: neighbour weights do not match the neighbours");
        PayloadColumns.CheckOffsets(neighborOffsets, itemIds.Length, neighborItems.Length, "ranking payload neighbours");
        PayloadColumns.CheckOffsets(historyOffsets, userIds.Length, historyItems.Length, "ranking payload histories");
        PayloadColumns.CheckIndexes(neighborItems, itemIds.Length, "ranking payload neighbours");
        PayloadColumns.CheckIndexes(historyItems, itemIds.Length, "ranking payload histories");
        try
        {
            return new PersonalizedRankingModel(itemIds, popularity, neighborOffsets, neighborItems, neighborWeights,
                userIds, historyOffsets, historyItems, PersonalizedRankingOptions.FromHyperParameters(parameters));
        }
        catch (ArgumentException e)
        {
            throw new InvalidModelArtifactException($"ranking payload: {e.Message}", e);
        }
    }

    private static PersonalizedRankingModel Cast(IRecommendationModel model) =>
        model as PersonalizedRankingModel ?? throw new ArgumentException($"expected a {nameof(PersonalizedRankingModel)}, got {model.GetType().Name}", nameof(model));
}
