namespace Pipeline.Engine.Recipes;

/// <summary>
/// aws-sims hyperparameters under Personalize's names: <c>popularity_discount_factor</c> (0 = no discount,
/// 1 = full) and <c>min_cointeraction_count</c>; <c>num_neighbours</c> is the engine's own: how many similar
/// items are precomputed per item (requests for more get that many).
/// </summary>
public sealed record SimsOptions(double PopularityDiscountFactor = 0.5, int MinCointeractionCount = 3, int NumNeighbours = 100)
{
    public const string PopularityDiscountFactorName = "popularity_discount_factor";
    public const string MinCointeractionCountName = "min_cointeraction_count";
    public const string NumNeighboursName = "num_neighbours";

    public static SimsOptions From(IReadOnlyDictionary<string, string> hyperParameters)
    {
        var defaults = new SimsOptions();
        return new SimsOptions(
            HyperParameters.Double(hyperParameters, PopularityDiscountFactorName, defaults.PopularityDiscountFactor, 0, 1),
            HyperParameters.Int(hyperParameters, MinCointeractionCountName, defaults.MinCointeractionCount, 0, 1_000_000),
            HyperParameters.Int(hyperParameters, NumNeighboursName, defaults.NumNeighbours, 1, 500));
    }

    public IReadOnlyDictionary<string, string> ToHyperParameters() => new Dictionary<string, string>
    {
        [PopularityDiscountFactorName] = HyperParameters.Format(PopularityDiscountFactor),
        [MinCointeractionCountName] = MinCointeractionCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [NumNeighboursName] = NumNeighbours.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
