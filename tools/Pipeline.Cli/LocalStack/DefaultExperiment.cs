using Pipeline.Domain.Experiments;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Cli.LocalStack;

/// <summary>The experiment a new local stack starts with: the three recipes compared on live traffic.</summary>
public static class DefaultExperiment
{
    public const string Key = "default";

    public static Experiment Create(DateTimeOffset now) => new(
        Key,
        ExperimentStatus.Running,
        [
            new Variant("user-personalization", 0.33, Recipes.UserPersonalization),
            new Variant("similar-items", 0.33, Recipes.Sims),
            new Variant("popularity", 0.34, Recipes.PopularityCount),
        ],
        Coverage: 1.0,
        Seed: Key,
        CreatedAt: now);
}
