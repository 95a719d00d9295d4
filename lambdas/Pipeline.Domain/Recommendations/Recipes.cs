namespace Pipeline.Domain.Recommendations;

/// <summary>Amazon Personalize's recipe names, used as the recipe of a variant.</summary>
public static class Recipes
{
    public const string UserPersonalization = "aws-user-personalization";
    public const string Sims = "aws-sims";
    public const string PopularityCount = "aws-popularity-count";
    public const string PersonalizedRanking = "aws-personalized-ranking";
    public const string TrendingNow = "aws-trending-now";

    /// <summary>The recipes a variant can name: the ones the engine serves locally and Personalize campaigns are trained with.</summary>
    public static IReadOnlyList<string> All { get; } = [UserPersonalization, Sims, PopularityCount, PersonalizedRanking, TrendingNow];

    private const string ArnPrefix = "arn:aws:personalize:::recipe/";

    /// <summary>Accepts a recipe name or its ARN and returns the name.</summary>
    public static string Normalize(string recipeOrArn) =>
        recipeOrArn.StartsWith(ArnPrefix, StringComparison.Ordinal) ? recipeOrArn[ArnPrefix.Length..] : recipeOrArn;

    public static string Arn(string recipe) => ArnPrefix + recipe;
}
