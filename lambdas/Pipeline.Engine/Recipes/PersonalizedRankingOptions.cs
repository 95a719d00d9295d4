using System.Globalization;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// Hyperparameters of the engine's aws-personalized-ranking (an item-kNN scorer, so the names are the engine's,
/// not the HRNN's that Personalize lists): how many neighbours each item keeps, how much of each user's recent
/// history is kept and scored, and how many users two items must share to be neighbours.
/// </summary>
public sealed record PersonalizedRankingOptions(int ItemNeighbors = 100, int MaxHistoryLength = 200, int MinCointeractionCount = 1)
{
    public const string ItemNeighborsKey = "item_neighbors";
    public const string MaxHistoryLengthKey = "max_history_length";
    public const string MinCointeractionCountKey = "min_cointeraction_count";

    public IReadOnlyDictionary<string, string> ToHyperParameters() => new Dictionary<string, string>
    {
        [ItemNeighborsKey] = ItemNeighbors.ToString(CultureInfo.InvariantCulture),
        [MaxHistoryLengthKey] = MaxHistoryLength.ToString(CultureInfo.InvariantCulture),
        [MinCointeractionCountKey] = MinCointeractionCount.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Reads the options from hyperparameters; absent keys keep their defaults, other keys are ignored.</summary>
    public static PersonalizedRankingOptions FromHyperParameters(IReadOnlyDictionary<string, string> hyperParameters)
    {
        ArgumentNullException.ThrowIfNull(hyperParameters);
        var defaults = new PersonalizedRankingOptions();
        return new PersonalizedRankingOptions(
            PositiveInt(hyperParameters, ItemNeighborsKey, defaults.ItemNeighbors),
            PositiveInt(hyperParameters, MaxHistoryLengthKey, defaults.MaxHistoryLength),
            PositiveInt(hyperParameters, MinCointeractionCountKey, defaults.MinCointeractionCount));
    }

    private static int PositiveInt(IReadOnlyDictionary<string, string> hyperParameters, string key, int fallback) =>
        !hyperParameters.TryGetValue(key, out var text) ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
        : throw new ArgumentException($"{key} must be a positive integer (got '{text}').", nameof(hyperParameters));
}
