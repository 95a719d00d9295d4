namespace Pipeline.Engine.Filters;

/// <summary>
/// How a filtered request asks its model for candidates, shared by the local Personalize
/// (<see cref="FilteredRecommendations"/>) and the API's budgeted filter: a filter removes items after the model ranks
/// them, so the model is asked for three times NumResults (at least 50 more), and for four times as many again while
/// the filter leaves too few and the model still had more to give, up to <see cref="MaxCandidates"/>.
/// </summary>
public static class OverFetch
{
    /// <summary>The most candidates one request asks a model for.</summary>
    public const int MaxCandidates = 10_000;

    public static int First(int numResults) => Math.Min(MaxCandidates, Math.Max(numResults * 3, numResults + 50));

    /// <summary>True when a larger ask could add something: too few kept, and the last ask was answered in full below the cap.</summary>
    public static bool AskAgain(int numResults, int kept, int fetched, int answered) =>
        kept < numResults && answered >= fetched && fetched < MaxCandidates;

    public static int Next(int fetched) => (int)Math.Min(MaxCandidates, fetched * 4L);

    public static IReadOnlyList<T> Top<T>(IReadOnlyList<T> kept, int numResults) => kept.Count <= numResults ? kept : [.. kept.Take(numResults)];
}
