using Pipeline.Domain.Recommendations;
using RecipeNames = Pipeline.Domain.Recommendations.Recipes;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// aws-user-personalization. Hyperparameters: see <see cref="UserPersonalizationOptions"/>; the campaign's
/// <c>explorationWeight</c> and <c>explorationItemAgeCutOff</c> are accepted here too and set
/// <see cref="UserPersonalizationModel.Exploration"/> (Personalize's defaults 0.3 and 30 days when absent).
/// </summary>
public sealed class UserPersonalizationRecipe : IRecipe
{
    public string Name => RecipeNames.UserPersonalization;

    public IReadOnlyDictionary<string, string> DefaultHyperParameters { get; } = new UserPersonalizationOptions().ToHyperParameters();

    public IRecommendationModel Train(TrainingData data, IReadOnlyDictionary<string, string> hyperParameters, CancellationToken cancellationToken = default)
    {
        var model = UserPersonalization.Train(data, UserPersonalizationOptions.From(hyperParameters), cancellationToken);
        model.Exploration = ItemExplorationConfig.From(hyperParameters);
        return model;
    }
}
