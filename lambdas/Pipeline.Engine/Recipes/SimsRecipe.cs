using Pipeline.Domain.Recommendations;
using RecipeNames = Pipeline.Domain.Recommendations.Recipes;

namespace Pipeline.Engine.Recipes;

public sealed class SimsRecipe : IRecipe
{
    public string Name => RecipeNames.Sims;

    public IReadOnlyDictionary<string, string> DefaultHyperParameters { get; } = new SimsOptions().ToHyperParameters();

    public IRecommendationModel Train(TrainingData data, IReadOnlyDictionary<string, string> hyperParameters, CancellationToken cancellationToken = default) =>
        Sims.Train(data.Interactions, SimsOptions.From(hyperParameters), cancellationToken);
}
