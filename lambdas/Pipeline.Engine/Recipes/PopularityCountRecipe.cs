using Pipeline.Domain.Recommendations;
using RecipeNames = Pipeline.Domain.Recommendations.Recipes;

namespace Pipeline.Engine.Recipes;

public sealed class PopularityCountRecipe : IRecipe
{
    public string Name => RecipeNames.PopularityCount;

    public IReadOnlyDictionary<string, string> DefaultHyperParameters { get; } = new Dictionary<string, string>();

    public IRecommendationModel Train(TrainingData data, IReadOnlyDictionary<string, string> hyperParameters, CancellationToken cancellationToken = default) =>
        PopularityCount.Train(data.Interactions,
            new PopularityCountOptions(hyperParameters.TryGetValue("eventType", out var eventType) ? eventType : null));
}
