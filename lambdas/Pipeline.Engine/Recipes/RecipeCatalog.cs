namespace Pipeline.Engine.Recipes;

/// <summary>The recipes the engine can train, by name; the local stack and the local Personalize service train through it.</summary>
public sealed class RecipeCatalog
{
    private readonly Dictionary<string, IRecipe> _byName;

    public RecipeCatalog(IEnumerable<IRecipe> recipes)
    {
        All = [.. recipes];
        _byName = All.ToDictionary(r => r.Name, StringComparer.Ordinal);
    }

    /// <summary>Every recipe the engine implements, cheapest to train first.</summary>
    public static RecipeCatalog Default { get; } = new([new PopularityCountRecipe(), new TrendingNowRecipe(), new PersonalizedRankingRecipe()]);

    public IReadOnlyList<IRecipe> All { get; }

    public IRecipe? Find(string recipeNameOrArn) =>
        _byName.GetValueOrDefault(Domain.Recommendations.Recipes.Normalize(recipeNameOrArn));
}
