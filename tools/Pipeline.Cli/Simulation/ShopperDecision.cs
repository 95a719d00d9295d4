using Pipeline.Engine.Randomness;

namespace Pipeline.Cli.Simulation;

/// <summary>What one shopper did with one served list: the items they looked at, clicked and bought, by 1-based rank.</summary>
/// <param name="ExpectedClickThrough">The true chance of at least one click on this list (1 − Π(1 − examination × relevance)):
/// the list's value without the draw's noise, which regret is measured on.</param>
public sealed record ShopperDecision(IReadOnlyList<int> Viewed, IReadOnlyList<int> Clicked, IReadOnlyList<int> Purchased, double ExpectedClickThrough)
{
    /// <summary>
    /// Decides with the draws of request <paramref name="request"/> of the run seeded <paramref name="seed"/>: three
    /// uniform draws per rank (look, click, buy), so the decisions depend only on the seed, the request and the list.
    /// </summary>
    public static ShopperDecision Make(IShopperTruth truth, string userId, IReadOnlyList<string> items, int seed, int request)
    {
        var rng = DeterministicRandom.ForStream(seed, stream: 17, substream: (ulong)request);
        List<int> viewed = [], clicked = [], purchased = [];
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
            if (buy < truth.PurchaseProbability(userId)) purchased.Add(rank);
        }
        return new ShopperDecision(viewed, clicked, purchased, 1 - noClick);
    }
}
