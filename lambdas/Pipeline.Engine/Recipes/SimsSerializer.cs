using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Models;
using RecipeNames = Pipeline.Domain.Recommendations.Recipes;

namespace Pipeline.Engine.Recipes;

/// <summary>aws-sims payload: item ids, distinct-user counts, and the neighbour lists (int32 ids, float32 scores).</summary>
public sealed class SimsSerializer : IModelPayloadSerializer
{
    public string Recipe => RecipeNames.Sims;

    public IReadOnlyDictionary<string, string> Parameters(IRecommendationModel model) => Cast(model).Options.ToHyperParameters();

    public void Write(BinaryWriter payload, IRecommendationModel model)
    {
        var sims = Cast(model);
        BinaryArrays.WriteStrings(payload, sims.ItemIds);
        BinaryArrays.Write<int>(payload, sims.Popularity);
        BinaryArrays.Write<int>(payload, sims.Neighbours.Offsets);
        BinaryArrays.Write<int>(payload, sims.Neighbours.Neighbours);
        BinaryArrays.Write<float>(payload, sims.Neighbours.Scores);
    }

    public IRecommendationModel Read(BinaryReader payload, IReadOnlyDictionary<string, string> parameters)
    {
        var itemIds = BinaryArrays.ReadStrings(payload);
        var popularity = BinaryArrays.Read<int>(payload);
        var neighbours = new ItemNeighbours(BinaryArrays.Read<int>(payload), BinaryArrays.Read<int>(payload), BinaryArrays.Read<float>(payload));
        if (popularity.Length != itemIds.Length || neighbours.Offsets.Length != itemIds.Length + 1
            || neighbours.Neighbours.Length != neighbours.Scores.Length || neighbours.Offsets[^1] != neighbours.Neighbours.Length)
            throw new InvalidModelArtifactException("corrupted aws-sims payload: array sizes disagree");
        foreach (var n in neighbours.Neighbours)
            if ((uint)n >= (uint)itemIds.Length) throw new InvalidModelArtifactException("corrupted aws-sims payload: neighbour out of range");
        return new SimsModel(itemIds, popularity, neighbours, SimsOptions.From(parameters));
    }

    private static SimsModel Cast(IRecommendationModel model) =>
        model as SimsModel ?? throw new ArgumentException($"expected a {nameof(SimsModel)}, got {model.GetType().Name}", nameof(model));
}
