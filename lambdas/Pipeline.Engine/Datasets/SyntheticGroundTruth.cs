namespace Pipeline.Engine.Datasets;

/// <summary>
/// The latent tastes the <see cref="SyntheticDataGenerator"/> drew for a dataset, recomputed from its options alone
/// (the same draws in the same order), so a simulator knows what each user would really click: the generator's own
/// click rates inside and outside the user's favourite categories, and its purchase rate per click.
/// </summary>
public sealed class SyntheticGroundTruth
{
    private readonly Dictionary<string, int> _categoryOfItem;
    private readonly Dictionary<string, (int[] Tastes, bool Premium)> _profiles;
    private readonly Dictionary<string, long> _priceCentsOfItem;

    private SyntheticGroundTruth(Dictionary<string, int> categoryOfItem, Dictionary<string, (int[], bool)> profiles, Dictionary<string, long> priceCentsOfItem)
    {
        _categoryOfItem = categoryOfItem;
        _profiles = profiles;
        _priceCentsOfItem = priceCentsOfItem;
    }

    /// <summary>The users of the dataset, in file order (user_00001 first).</summary>
    public IReadOnlyList<string> Users { get; private init; } = [];

    public static SyntheticGroundTruth Create(SyntheticDataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var start = SyntheticDataGenerator.End.ToUnixTimeSeconds() - (long)SyntheticDataGenerator.Span.TotalSeconds;
        var catalog = new SyntheticCatalog(options.Items, options.Seed, createdBefore: start);
        var items = new Dictionary<string, int>(options.Items, StringComparer.Ordinal);
        var itemWidth = IdFormat.Width(options.Items);
        var prices = new Dictionary<string, long>(options.Items, StringComparer.Ordinal);
        for (var i = 0; i < options.Items; i++)
        {
            var id = IdFormat.Format("item_", i + 1, itemWidth);
            items[id] = catalog.CategoryOf[i];
            prices[id] = catalog.PriceCents[i];
        }

        var orders = SyntheticDataGenerator.BuildTasteOrders(catalog.CategoryCount, options.Seed);
        var profiles = new Dictionary<string, (int[], bool)>(options.Users, StringComparer.Ordinal);
        var users = new string[options.Users];
        var userWidth = IdFormat.Width(options.Users);
        for (var u = 0; u < options.Users; u++)
        {
            var rng = SyntheticDataGenerator.ProfileRandom(options.Seed, u);
            var profile = SyntheticDataGenerator.DrawProfile(ref rng, catalog.CategoryCount, orders);
            users[u] = IdFormat.Format("user_", u + 1, userWidth);
            profiles[users[u]] = (profile.Tastes, profile.Premium);
        }
        return new SyntheticGroundTruth(items, profiles, prices) { Users = users };
    }

    /// <summary>The user's favourite categories, most favoured first (empty for a user the dataset does not have).</summary>
    public IReadOnlyList<string> Tastes(string userId) =>
        _profiles.TryGetValue(userId, out var p) ? [.. p.Tastes.Select(SyntheticCatalog.CategoryName)] : [];

    /// <summary>The chance the user clicks the item once they have looked at it: the generator's rate in or outside their tastes.</summary>
    public double ClickProbability(string userId, string itemId) =>
        _profiles.TryGetValue(userId, out var p) && _categoryOfItem.TryGetValue(itemId, out var category) && Array.IndexOf(p.Tastes, category) >= 0
            ? SyntheticDataGenerator.ClickRateInTaste
            : SyntheticDataGenerator.ClickRateOutsideTaste;

    /// <summary>The item's price in the generated catalog (its items.csv PRICE); null for an item the dataset does not have.</summary>
    public double? Price(string itemId) => _priceCentsOfItem.TryGetValue(itemId, out var cents) ? cents / 100.0 : null;

    /// <summary>The chance a click ends in a purchase (premium members buy more often, as in the generated data).</summary>
    public double PurchaseProbability(string userId) =>
        _profiles.TryGetValue(userId, out var p) && p.Premium
            ? SyntheticDataGenerator.PurchaseRatePerClickPremium
            : SyntheticDataGenerator.PurchaseRatePerClick;
}
