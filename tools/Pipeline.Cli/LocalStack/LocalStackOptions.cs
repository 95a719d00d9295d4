using Pipeline.Engine.Datasets;

namespace Pipeline.Cli.LocalStack;

/// <summary>Where the local stack keeps its state and what it serves on.</summary>
/// <param name="Dataset">The user's dataset folder (`--dataset`) to serve instead of a generated sample, or null.</param>
public sealed record LocalStackOptions(string DataDirectory, int Port, SyntheticDataOptions SampleData, int PersonalizePort = LocalStackOptions.DefaultPersonalizePort,
    string? Dataset = null)
{
    public const string DefaultDataDirectory = ".pipeline";
    public const int DefaultPort = 5080;
    public const int DefaultPersonalizePort = 8090;

    /// <summary>The sample's folder under the data directory; the data directory is the local S3 root, so it imports as <c>s3://sample/…</c>.</summary>
    public const string SampleFolder = "sample";

    public string SampleDirectory => Path.Combine(DataDirectory, SampleFolder);
    public string ModelsDirectory => Path.Combine(DataDirectory, "models");
    public string DatabasePath => Path.Combine(DataDirectory, "pipeline.db");
    public string PersonalizeDirectory => Path.Combine(DataDirectory, "personalize");

    /// <summary>A sample big enough to show real differences between recipes, small enough to prepare in seconds.</summary>
    public static SyntheticDataOptions DefaultSample { get; } = new(Users: 10_000, Items: 2_000, Interactions: 200_000, Seed: 42);
}
