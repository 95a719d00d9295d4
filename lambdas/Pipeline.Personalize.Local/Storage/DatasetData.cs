using System.Text;
using Pipeline.Domain.Storage;
using Pipeline.Engine.Datasets;
using Pipeline.Personalize.Local.ControlPlane;

namespace Pipeline.Personalize.Local.Storage;

/// <summary>
/// A dataset's data as one CSV in the data directory. Imports replace or extend it, events and PutItems/PutUsers
/// append to it, training reads it; one lock orders them so nobody reads half a row.
/// </summary>
public static class DatasetData
{
    private static readonly object Gate = new();

    /// <summary>Checks the source (a CSV file, or a folder of them) against the schema and the engine's readers, then stores it.</summary>
    public static long Import(string source, string target, string datasetType, AvroSchema schema, bool incremental, CancellationToken cancellationToken)
    {
        var files = SourceFiles(source);
        var header = ReadHeader(files[0]);
        foreach (var file in files.Skip(1))
            if (!ReadHeader(file).SequenceEqual(header, StringComparer.Ordinal))
                throw new ImportFailedException($"{Path.GetFileName(file)} has a different header from {Path.GetFileName(files[0])}.");
        var missing = schema.Fields.Where(f => !f.Nullable && !header.Contains(f.Name, StringComparer.OrdinalIgnoreCase)).Select(f => f.Name).ToList();
        if (missing.Count > 0)
            throw new ImportFailedException($"The CSV header lacks the schema's required column(s): {string.Join(", ", missing)}.");

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var staged = target + ".import.tmp";
        try
        {
            using (var output = new StreamWriter(staged, append: false, new UTF8Encoding(false)))
            {
                output.Write(string.Join(',', header) + "\n");
                foreach (var file in files) CopyRows(file, output, cancellationToken);
            }
            var rows = Validate(staged, datasetType, cancellationToken);
            lock (Gate)
            {
                if (incremental && File.Exists(target))
                {
                    if (!ReadHeader(target).SequenceEqual(header, StringComparer.Ordinal))
                        throw new ImportFailedException("An INCREMENTAL import must have the same columns as the data already imported.");
                    if (IdColumn(datasetType) is { } idColumn)
                    {
                        ReplaceById(target, staged, Array.FindIndex(header, c => string.Equals(c, idColumn, StringComparison.OrdinalIgnoreCase)), cancellationToken);
                        return rows;
                    }
                    using var existing = new StreamWriter(target, append: true, new UTF8Encoding(false));
                    CopyRows(staged, existing, cancellationToken);
                    return rows;
                }
                File.Move(staged, target, overwrite: true);
            }
            return rows;
        }
        finally
        {
            if (File.Exists(staged)) File.Delete(staged);
        }
    }

    /// <summary>Appends rows (column name → value); a dataset without data gets a header from its schema first.</summary>
    public static void Append(string target, AvroSchema schema, IReadOnlyList<IReadOnlyDictionary<string, string>> rows)
    {
        lock (Gate)
        {
            var exists = File.Exists(target);
            var header = exists ? ReadHeader(target) : [.. schema.Fields.Select(f => f.Name)];
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var output = new StreamWriter(target, append: true, new UTF8Encoding(false));
            if (!exists) output.Write(string.Join(',', header) + "\n");
            foreach (var row in rows)
            {
                var values = header.Select(column =>
                    row.FirstOrDefault(p => string.Equals(p.Key, column, StringComparison.OrdinalIgnoreCase)).Value ?? "");
                output.Write(string.Join(',', values.Select(CsvField.Escape)) + "\n");
            }
        }
    }

    /// <summary>Runs a read of a dataset file under the lock, so appends wait for it.</summary>
    public static T Read<T>(string path, Func<string, T> read)
    {
        lock (Gate) return read(path);
    }

    private static long Validate(string path, string datasetType, CancellationToken cancellationToken)
    {
        try
        {
            return datasetType switch
            {
                DatasetTypes.Interactions => InteractionsCsv.Read(path, cancellationToken).Count,
                DatasetTypes.Items => ItemsCsv.Read(path).Count,
                _ => UsersCsv.Read(path).Count,
            };
        }
        catch (CsvFormatException e)
        {
            throw new ImportFailedException(e.Message);
        }
    }

    private static List<string> SourceFiles(string source)
    {
        if (File.Exists(source)) return [source];
        if (Directory.Exists(source))
        {
            var files = Directory.GetFiles(source, "*.csv").Order(StringComparer.Ordinal).ToList();
            return files.Count > 0 ? files : throw new ImportFailedException($"The folder {source} holds no .csv files.");
        }
        throw new ImportFailedException($"Input file or folder not found: {source}.");
    }

    private static string[] ReadHeader(string path)
    {
        using var reader = new StreamReader(path);
        var line = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(line)) throw new ImportFailedException($"{Path.GetFileName(path)} is empty: a header row is required.");
        return [.. line.TrimStart('\uFEFF').Split(',').Select(c => c.Trim().Trim('"'))];
    }

    private static void CopyRows(string path, StreamWriter output, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path);
        reader.ReadLine();
        var count = 0;
        while (reader.ReadLine() is { } line)
        {
            if ((++count & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            if (line.Length == 0) continue;
            output.Write(line);
            output.Write('\n');
        }
    }

    /// <summary>Items and users are records keyed by their id: an INCREMENTAL import replaces a record with the same id, as Personalize does.</summary>
    private static string? IdColumn(string datasetType) => datasetType switch
    {
        DatasetTypes.Items => "ITEM_ID",
        DatasetTypes.Users => "USER_ID",
        _ => null,
    };

    /// <summary>Rewrites the dataset: its rows whose id the import does not carry, then the import's rows.</summary>
    private static void ReplaceById(string target, string staged, int idIndex, CancellationToken cancellationToken)
    {
        var incoming = new HashSet<string>(DataLines(staged).Select(line => Field(line, idIndex)), StringComparer.Ordinal);
        var merged = target + ".merge.tmp";
        try
        {
            using (var output = new StreamWriter(merged, append: false, new UTF8Encoding(false)))
            {
                using (var reader = new StreamReader(target))
                {
                    output.Write(reader.ReadLine() + "\n");
                }
                var count = 0;
                foreach (var line in DataLines(target))
                {
                    if ((++count & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
                    if (!incoming.Contains(Field(line, idIndex))) output.Write(line + "\n");
                }
                CopyRows(staged, output, cancellationToken);
            }
            File.Move(merged, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(merged)) File.Delete(merged);
        }
    }

    private static IEnumerable<string> DataLines(string path)
    {
        using var reader = new StreamReader(path);
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0) yield return line;
        }
    }

    /// <summary>The value of one field of a CSV line (quoted fields may hold commas and doubled quotes).</summary>
    private static string Field(string line, int index)
    {
        var field = 0;
        var value = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { value.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else value.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',')
            {
                if (field == index) return value.ToString().Trim();
                field++;
                value.Clear();
            }
            else value.Append(c);
        }
        return field == index ? value.ToString().Trim() : "";
    }
}

/// <summary>Why an import job failed; its message becomes the job's failureReason.</summary>
public sealed class ImportFailedException(string message) : Exception(message);
