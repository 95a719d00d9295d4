using Pipeline.Engine.Datasets;
using Pipeline.Engine.Evaluation;

namespace Pipeline.Cli.Simulation;

/// <summary>
/// The split `pipeline up --dataset` trains on and `pipeline simulate --dataset` replays: every user with at least two
/// interactions keeps back their newest 10% (at least one) as their true future; the stack never sees those rows.
/// Both commands compute it from the same file the same way, so they agree without sharing state.
/// </summary>
public static class DatasetHoldout
{
    public static HoldoutSplit Split(InteractionDataset dataset) => Holdout.Split(dataset, HoldoutStrategy.Time);

    /// <summary>Reads DIR/interactions.csv with the import's rules; a bad file is one line naming the file.</summary>
    public static InteractionDataset ReadInteractions(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, DatasetFiles.Interactions);
        if (!File.Exists(path)) throw new CommandLineException($"--dataset '{directory}' has no {DatasetFiles.Interactions}.");
        try
        {
            return InteractionsCsv.Read(path, cancellationToken);
        }
        catch (CsvFormatException e)
        {
            throw new CommandLineException($"{DatasetFiles.Interactions}: {e.Message}");
        }
    }
}
