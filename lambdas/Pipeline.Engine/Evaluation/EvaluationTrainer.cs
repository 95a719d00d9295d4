using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Recipes;
using RecipeNames = Pipeline.Domain.Recommendations.Recipes;

namespace Pipeline.Engine.Evaluation;

/// <summary>
/// Trains what `pipeline evaluate` scores: every catalogue recipe, plus the evaluation-only baselines
/// <c>item-knn</c> and <c>ease</c> (λ from the <c>lambda</c> hyperparameter, else tuned on a validation split;
/// histories unweighted unless the weighting hyperparameters are given).
/// Item-to-item models are asked per user through <see cref="NeighbourhoodUserModel"/>; user-personalization is
/// scored without exploration, as Personalize computes solution metrics before any campaign setting applies.
/// </summary>
public static class EvaluationTrainer
{
    public const string EaseName = "ease";

    public static IReadOnlyList<string> Names => [.. RecipeCatalog.Default.All.Select(r => r.Name), ItemKnn.Name, EaseName];

    public static bool IsKnown(string recipeOrArn) => Names.Contains(RecipeNames.Normalize(recipeOrArn), StringComparer.Ordinal);

    public static IRecommendationModel Train(string recipeOrArn, InteractionDataset training, IReadOnlyDictionary<string, string> hyperParameters,
        CancellationToken cancellationToken = default, IReadOnlyList<Pipeline.Domain.Catalog.Item>? items = null) =>
        Train(recipeOrArn, new TrainingData(training, items), hyperParameters, null, cancellationToken);

    /// <summary>
    /// Trains on <paramref name="data"/> (tuning on its <see cref="TrainingData.Validation"/> split when it has one);
    /// <paramref name="validationNdcg"/> receives the validation NDCG@10 of each candidate user-personalization measured.
    /// </summary>
    public static IRecommendationModel Train(string recipeOrArn, TrainingData data, IReadOnlyDictionary<string, string> hyperParameters,
        IDictionary<string, double>? validationNdcg, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var training = data.Interactions;
        var items = data.Items;
        var name = RecipeNames.Normalize(recipeOrArn);
        switch (name)
        {
            case ItemKnn.Name:
            {
                var matrix = FeedbackMatrix.From(training);
                return new NeighbourhoodUserModel(name, matrix, ItemKnn.Train(matrix, HyperParameters.Int(hyperParameters, SimsOptions.NumNeighboursName, 100, 1, 500)));
            }
            case RecipeNames.Sims:
            {
                var matrix = FeedbackMatrix.From(training);
                var sims = Sims.Train(matrix, SimsOptions.From(hyperParameters), cancellationToken);
                return new NeighbourhoodUserModel(name, matrix, sims.Neighbours);
            }
            case EaseName:
            {
                // Plain EASE: binary histories, no event-type or recency weighting (that is user-personalization's own).
                var options = UserPersonalizationOptions.From(hyperParameters) with { Algorithm = "ease" };
                options = options with
                {
                    EventTypeWeights = options.EventTypeWeights ?? HistoryWeighting.Neutral.EventTypeWeights,
                    RecencyHalfLife = options.RecencyHalfLife ?? 0,
                    CategoryWeight = options.CategoryWeight ?? 0,
                };
                return UserPersonalization.Train(data, options, validationNdcg, cancellationToken);
            }
            default:
            {
                var recipe = RecipeCatalog.Default.Find(name) ?? throw new ArgumentException($"unknown recipe '{recipeOrArn}' (known: {string.Join(", ", Names)})");
                if (name == RecipeNames.UserPersonalization)
                    return UserPersonalization.Train(data, UserPersonalizationOptions.From(hyperParameters), validationNdcg, cancellationToken);
                return recipe.Train(data, hyperParameters, cancellationToken);
            }
        }
    }
}
