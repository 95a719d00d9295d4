using Pipeline.Domain.Recommendations;
using RecipeNames = Pipeline.Domain.Recommendations.Recipes;

namespace Pipeline.Engine.Recipes;

public sealed class TrendingNowRecipe : IRecipe
{
    public string Name => RecipeNames.TrendingNow;

    public IReadOnlyDictionary<string, string> DefaultHyperParameters { get; } = new TrendingNowOptions().ToHyperParameters();

    public IRecommendationModel Train(TrainingData data, IReadOnlyDictionary<string, string> hyperParameters, CancellationToken cancellationToken = default) =>
        TrendingNow.Train(data.Interactions, TrendingNowOptions.FromHyperParameters(hyperParameters));
}
