using Pipeline.Engine.Randomness;

namespace Pipeline.Cli.Simulation;

/// <summary>What one shopper did with one served list: the items they looked at, clicked and bought, by 1-based rank.</summary>
/// <param name="ExpectedClickThrough">The true chance of at least one click on this list (1 − Π(1 − examination × relevance)):
/// the list's value without the draw's noise, which regret is measured on.</param>
/// <param name="PurchaseValues">Each purchase's event value, in the order of <paramref name="Purchased"/>: price × quantity,
/// null when the item has no price.</param>
public sealed record ShopperDecision(IReadOnlyList<int> Viewed, IReadOnlyList<int> Clicked, IReadOnlyList<int> Purchased, double ExpectedClickThrough,
    IReadOnlyList<double?> PurchaseValues)
{
    /// <summary>
    /// The quantity of a purchase from a uniform draw u: 1 (85%), 2 (12%) or 3 (3%), as the synthetic generator's
    /// purchases are.
    /// </summary>
    public static int Quantity(double u) => u switch { < 0.85 => 1, < 0.97 => 2, _ => 3 };

    /// <summary>
    /// Decides with the draws of request <paramref name="request"/> of the run seeded <paramref name="seed"/>: three
    /// uniform draws per rank (look, click, buy), so the decisions depend only on the seed, the request and the list.
    /// Quantities come from a stream of their own (one draw per purchase), so adding them changed no decision.
    /// </summary>
    public static ShopperDecision Make(IShopperTruth truth, string userId, IReadOnlyList<string> items, int seed, int request)
    {
        var rng = DeterministicRandom.ForStream(seed, stream: 17, substream: (ulong)request);
        var quantities = DeterministicRandom.ForStream(seed, stream: 19, substream: (ulong)request);
        List<int> viewed = [], clicked = [], purchased = [];
        List<double?> values = [];
        var noClick = 1.0;
        for (var i = 0; i < items.Count; i++)
        {
            var rank = i + 1;
            var examination = PositionBias.Examination(rank);
            var relevance = truth.ClickProbability(userId, items[i]);
            noClick *= 1 - examination * relevance;
            var (look, click, buy) = (rng.NextDouble(), rng.NextDouble(), rng.NextDouble());
            if (look >= examination) continue;
            viewed.Add(rank);
            if (click >= relevance) continue;
            clicked.Add(rank);
            if (buy >= truth.PurchaseProbability(userId)) continue;
            purchased.Add(rank);
            var quantity = Quantity(quantities.NextDouble());
            values.Add(truth.Price(items[i]) is { } price ? Math.Round(price * quantity, 2) : null);
        }
        return new ShopperDecision(viewed, clicked, purchased, 1 - noClick, values);
    }
}
