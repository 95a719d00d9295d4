using System.Globalization;
using System.Text;
using Pipeline.Cli.Simulation;
using Pipeline.Engine.Datasets;

namespace Pipeline.Cli.LocalStack;

/// <summary>
/// `pipeline up --dataset DIR`: the user's Personalize-shaped files instead of the generated sample. They are checked
/// with the import's own readers (the same rules and messages as CreateDatasetImportJob) before anything is written,
/// and the stack gets every interaction except each user's held-back newest ones (<see cref="DatasetHoldout"/>), which
/// `pipeline simulate --dataset DIR` replays as the shoppers' true future.
/// </summary>
public static class DatasetSample
{
    /// <summary>Throws a one-line <see cref="CommandLineException"/> naming the file when the dataset cannot be imported.</summary>
    public static void Validate(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory)) throw new CommandLineException($"--dataset '{directory}' is not a directory.");
        DatasetHoldout.ReadInteractions(directory, cancellationToken);
        Check(directory, DatasetFiles.Items, path => ItemsCsv.Read(path));
        Check(directory, DatasetFiles.Users, path => UsersCsv.Read(path));
    }

    /// <summary>Writes the training part of the dataset into <paramref name="target"/>; returns a note for the progress line.</summary>
    public static string Write(string directory, string target, CancellationToken cancellationToken)
    {
        var dataset = DatasetHoldout.ReadInteractions(directory, cancellationToken);
        var split = DatasetHoldout.Split(dataset);
        Directory.CreateDirectory(target);
        WriteInteractions(split.Training, Path.Combine(target, DatasetFiles.Interactions));
        foreach (var file in new[] { DatasetFiles.Items, DatasetFiles.Users })
        {
            var source = Path.Combine(directory, file);
            if (File.Exists(source)) File.Copy(source, Path.Combine(target, file));
        }
        var heldBack = dataset.Count - split.Training.Count;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFullPath(directory)}: {dataset.UserIds.Count:N0} users, {split.Training.Count:N0} interactions, {heldBack:N0} newest held back from {split.TestUsers.Count:N0} users");
    }

    private static void Check(string directory, string file, Action<string> read)
    {
        var path = Path.Combine(directory, file);
        if (!File.Exists(path)) return;
        try
        {
            read(path);
        }
        catch (CsvFormatException e)
        {
            throw new CommandLineException($"{file}: {e.Message}");
        }
    }

    private static void WriteInteractions(InteractionDataset rows, string path)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        writer.Write("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n");
        var users = rows.UserIndex;
        var items = rows.ItemIndex;
        var times = rows.Timestamps;
        var types = rows.EventTypeCodes;
        var values = rows.EventValues;
        for (var i = 0; i < rows.Count; i++)
        {
            var value = float.IsNaN(values[i]) ? "" : values[i].ToString("R", CultureInfo.InvariantCulture);
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{rows.UserIds[users[i]]},{rows.ItemIds[items[i]]},{times[i]},{rows.EventTypes[types[i]]},{value}\n"));
        }
    }
}
