using Pipeline.Domain.Recommendations;
using RecipeNames = Pipeline.Domain.Recommendations.Recipes;

namespace Pipeline.Engine.Recipes;

public sealed class PersonalizedRankingRecipe : IRecipe
{
    public string Name => RecipeNames.PersonalizedRanking;

    public IReadOnlyDictionary<string, string> DefaultHyperParameters { get; } = new PersonalizedRankingOptions().ToHyperParameters();

    public IRecommendationModel Train(TrainingData data, IReadOnlyDictionary<string, string> hyperParameters, CancellationToken cancellationToken = default) =>
        PersonalizedRanking.Train(data.Interactions, PersonalizedRankingOptions.FromHyperParameters(hyperParameters), cancellationToken);
}
