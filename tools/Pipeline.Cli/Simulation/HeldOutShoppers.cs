using Pipeline.Engine.Evaluation;

namespace Pipeline.Cli.Simulation;

/// <summary>
/// A real dataset's users with their held-back newest interactions as their true future: an item they went on to
/// interact with is clicked (once looked at) with <see cref="FutureClick"/>, any other with <see cref="OtherClick"/>.
/// Prices come from the dataset's items.csv when it has a PRICE column.
/// </summary>
public sealed class HeldOutShoppers(IReadOnlyList<HoldoutUser> users, IReadOnlyDictionary<string, double>? prices = null) : IShopperTruth
{
    public const double FutureClick = 0.5;
    public const double OtherClick = 0.02;
    public const double Purchase = 0.15;

    private readonly Dictionary<string, IReadOnlySet<string>> _future = users.ToDictionary(u => u.UserId, u => u.TargetItemIds, StringComparer.Ordinal);

    public IReadOnlyList<string> Users { get; } = [.. users.Select(u => u.UserId)];

    public double ClickProbability(string userId, string itemId) =>
        _future.TryGetValue(userId, out var future) && future.Contains(itemId) ? FutureClick : OtherClick;

    public double PurchaseProbability(string userId) => Purchase;

    public double? Price(string itemId) => prices is not null && prices.TryGetValue(itemId, out var price) ? price : null;
}
