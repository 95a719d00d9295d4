namespace Pipeline.Console.Benchmarks;

/// <summary>A console page: its path under the API's root, and the element its script fills once the API has answered.</summary>
public sealed record ConsolePage(string Name, string Path, string Filled)
{
    /// <summary>Every page of the console's sections, in the navigation's order (one experiment: the sample's).</summary>
    public static IReadOnlyList<ConsolePage> All { get; } =
    [
        new("experiments", "console/experiments", "#experiments tbody a"),
        new("experiment", "console/experiments/default", "#lift-chart .uplot"),
        new("experiment-form", "console/experiments/new", "#variants .variant-row"),
        new("models", "console/models", "#promotions tbody a"),
        new("workflows", "console/workflows", "#executions tbody a"),
        new("live", "console/live", "#rate-chart .uplot"),
    ];

    /// <summary>The reference page: a plain-text file from the same server, Chromium's own floor for a first paint.</summary>
    public static ConsolePage Reference { get; } = new("reference", "console/assets/THIRD-PARTY.txt", "body");
}
