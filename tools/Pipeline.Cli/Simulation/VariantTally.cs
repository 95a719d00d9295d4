namespace Pipeline.Cli.Simulation;

/// <summary>What the simulator saw of one variant: its lists, users, clicks and purchases, and the lists' true value.</summary>
public sealed class VariantTally(string variant)
{
    private readonly HashSet<string> _users = new(StringComparer.Ordinal);
    private readonly HashSet<string> _clickers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _purchasers = new(StringComparer.Ordinal);

    public string Variant { get; } = variant;
    public long Lists { get; private set; }
    public long Clicks { get; private set; }
    public long Purchases { get; private set; }
    public double ExpectedClickThroughSum { get; private set; }
    public int Users => _users.Count;

    /// <summary>Users with a click over users (the analysis' CTR, seen from the shoppers' side).</summary>
    public double Ctr => Users == 0 ? 0 : (double)_clickers.Count / Users;

    public double Conversion => Users == 0 ? 0 : (double)_purchasers.Count / Users;

    /// <summary>The true chance of a click per served list, averaged over this variant's lists.</summary>
    public double MeanListValue => Lists == 0 ? 0 : ExpectedClickThroughSum / Lists;

    public void Add(string userId, ShopperDecision decision)
    {
        Lists++;
        _users.Add(userId);
        Clicks += decision.Clicked.Count;
        Purchases += decision.Purchased.Count;
        ExpectedClickThroughSum += decision.ExpectedClickThrough;
        if (decision.Clicked.Count > 0) _clickers.Add(userId);
        if (decision.Purchased.Count > 0) _purchasers.Add(userId);
    }
}
