using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Training;

public static class RecipeTrainingDataRules
{
    /// <summary>
    /// The recipe, training only after <see cref="TrainingDataRules.Apply"/> with the solution config read from the
    /// hyperparameters. Use it where Personalize's behaviour is wanted (the local Personalize service, the CLI);
    /// unit tests of a recipe's algorithm can keep using the bare recipe on tiny data.
    /// </summary>
    public static IRecipe WithTrainingDataRules(this IRecipe recipe) =>
        recipe as RuledRecipe ?? new RuledRecipe(recipe ?? throw new ArgumentNullException(nameof(recipe)));

    private sealed class RuledRecipe(IRecipe inner) : IRecipe
    {
        public string Name => inner.Name;

        public IReadOnlyDictionary<string, string> DefaultHyperParameters => inner.DefaultHyperParameters;

        public IRecommendationModel Train(TrainingData data, IReadOnlyDictionary<string, string> hyperParameters, CancellationToken cancellationToken = default) =>
            inner.Train(TrainingDataRules.Apply(data, SolutionDataConfig.FromHyperParameters(hyperParameters)), hyperParameters, cancellationToken);
    }
}
