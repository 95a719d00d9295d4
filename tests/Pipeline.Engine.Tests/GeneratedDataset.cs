using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Tests;

/// <summary>One synthetic dataset shared by a test class (generating it takes a fraction of a second, reading it less).</summary>
public sealed class GeneratedDataset : IDisposable
{
    public static readonly SyntheticDataOptions Options = new(Users: 2000, Items: 1000, Interactions: 60000, Seed: 7);

    private readonly TempDirectory _directory = new();

    public GeneratedDataset()
    {
        Summary = SyntheticDataGenerator.Generate(Options, _directory.Path);
        Interactions = InteractionsCsv.Read(Summary.InteractionsPath);
    }

    public string DirectoryPath => _directory.Path;
    public SyntheticDataSummary Summary { get; }
    public InteractionDataset Interactions { get; }

    public string[] Lines(string fileName) => File.ReadAllLines(Path.Combine(_directory.Path, fileName));

    public void Dispose() => _directory.Dispose();
}
