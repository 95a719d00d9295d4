namespace Pipeline.Engine.Recipes;

/// <summary>
/// Personalize's campaign setting itemExplorationConfig for user-personalization: <see cref="ExplorationWeight"/>
/// (0 = relevance only, 1 = as much exploration as possible; default 0.3) decides the share of result slots given
/// to new items, and <see cref="ExplorationItemAgeCutOffDays"/> (default 30) what counts as new: created at most
/// that many days before the latest interaction in the training data.
/// </summary>
public sealed record ItemExplorationConfig(double ExplorationWeight = 0.3, double ExplorationItemAgeCutOffDays = 30)
{
    public const string ExplorationWeightName = "explorationWeight";
    public const string ExplorationItemAgeCutOffName = "explorationItemAgeCutOff";

    public static ItemExplorationConfig None { get; } = new(0, 30);

    public static ItemExplorationConfig From(IReadOnlyDictionary<string, string> values)
    {
        var defaults = new ItemExplorationConfig();
        return new ItemExplorationConfig(
            HyperParameters.Double(values, ExplorationWeightName, defaults.ExplorationWeight, 0, 1),
            HyperParameters.Double(values, ExplorationItemAgeCutOffName, defaults.ExplorationItemAgeCutOffDays, 1, 36500));
    }

    /// <summary>Whether result slot <paramref name="rank"/> (0-based) goes to a new item: spreads round(weight·n) slots evenly, relevance first.</summary>
    public bool IsExplorationSlot(int rank) =>
        ExplorationWeight > 0 && Math.Floor((rank + 1) * ExplorationWeight + 1e-9) > Math.Floor(rank * ExplorationWeight + 1e-9);
}
