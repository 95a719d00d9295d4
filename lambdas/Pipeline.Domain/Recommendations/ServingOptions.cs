namespace Pipeline.Domain.Recommendations;

public sealed class ServingOptions
{
    public const string Section = "Serving";

    /// <summary>The experiment that splits recommendation traffic.</summary>
    public string DefaultExperiment { get; set; } = "default";

    /// <summary>The experiment that splits POST /rankings traffic (its variants' recipes must rank); none when empty or not found.</summary>
    public string RankingExperiment { get; set; } = "rankings";

    /// <summary>Tried in order when the variant's model is missing, slow or failing; the first one serves users outside any experiment.</summary>
    public IList<string> FallbackRecipes { get; set; } = [Recipes.PopularityCount];

    /// <summary>The whole time a request may spend in models; what is left after the variant's model goes to the fallbacks.</summary>
    public int BudgetMilliseconds { get; set; } = 100;

    /// <summary>The share of the budget the variant's model gets before the fallbacks take over.</summary>
    public double PrimaryShareOfBudget { get; set; } = 0.6;

    /// <summary>
    /// How long serving trusts what it read of an experiment, and of the solution version a campaign serves, before it
    /// reads them again: a promotion (a variant pointed at a new campaign, a campaign updated to a new version) reaches
    /// traffic within this time, without a restart.
    /// </summary>
    public double RefreshSeconds { get; set; } = 5;

    public TimeSpan RefreshInterval => TimeSpan.FromSeconds(RefreshSeconds);

    /// <summary>
    /// How many users' real-time events each in-process model keeps (<see cref="IRealtimeEvents.LimitUsers"/>): the
    /// least recently active beyond it are served from their trained history until their next event. At least 2.
    /// </summary>
    public int MaxRealtimeUsers { get; set; } = DefaultMaxRealtimeUsers;

    public const int DefaultMaxRealtimeUsers = 100_000;
}
