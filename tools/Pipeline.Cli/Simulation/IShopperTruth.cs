namespace Pipeline.Cli.Simulation;

/// <summary>What the simulated shoppers really want: the ground truth the served lists are judged against.</summary>
public interface IShopperTruth
{
    /// <summary>The shoppers, in a fixed order (the simulation draws from the first <c>--users</c> of them).</summary>
    IReadOnlyList<string> Users { get; }

    /// <summary>The chance the user clicks the item once they have looked at it (its true relevance).</summary>
    double ClickProbability(string userId, string itemId);

    /// <summary>The chance a click ends in a purchase.</summary>
    double PurchaseProbability(string userId);

    /// <summary>The item's unit price, or null when the catalog has none (the purchase is then posted without a value).</summary>
    double? Price(string itemId);
}
