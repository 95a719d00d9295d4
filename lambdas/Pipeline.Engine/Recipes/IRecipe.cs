using Pipeline.Domain.Recommendations;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// One of Personalize's recipes as the engine implements it: trains a model from a dataset with the
/// recipe's hyperparameters (Personalize's names, as strings, as CreateSolution takes them).
/// </summary>
public interface IRecipe
{
    /// <summary>The recipe name, e.g. <c>aws-popularity-count</c>; its ARN is <see cref="Recipes.Arn"/>.</summary>
    string Name { get; }

    IReadOnlyDictionary<string, string> DefaultHyperParameters { get; }

    IRecommendationModel Train(TrainingData data, IReadOnlyDictionary<string, string> hyperParameters, CancellationToken cancellationToken = default);
}
