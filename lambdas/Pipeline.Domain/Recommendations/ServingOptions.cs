namespace Pipeline.Domain.Recommendations;

public sealed class ServingOptions
{
    public const string Section = "Serving";

    /// <summary>The experiment that splits recommendation traffic.</summary>
    public string DefaultExperiment { get; set; } = "default";

    /// <summary>The recipe that serves users outside any experiment and every fallback.</summary>
    public string FallbackRecipe { get; set; } = Recipes.PopularityCount;
}
