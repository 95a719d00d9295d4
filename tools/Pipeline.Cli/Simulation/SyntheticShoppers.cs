using Pipeline.Engine.Datasets;

namespace Pipeline.Cli.Simulation;

/// <summary>The generated sample's users with the tastes the generator drew for them (recomputed from its options).</summary>
public sealed class SyntheticShoppers(SyntheticGroundTruth truth) : IShopperTruth
{
    public IReadOnlyList<string> Users => truth.Users;

    public double ClickProbability(string userId, string itemId) => truth.ClickProbability(userId, itemId);

    public double PurchaseProbability(string userId) => truth.PurchaseProbability(userId);

    public double? Price(string itemId) => truth.Price(itemId);
}
