using System.IO.Compression;
using System.Text;

namespace Pipeline.Engine.Datasets;

/// <summary>
/// Converts the UCI "Anonymous Microsoft Web Data" file (C case lines followed by V vote lines, optionally
/// gzipped) into a Personalize interactions CSV. The data has no times, so TIMESTAMP is each visit's position in
/// the file: per user, file order is kept, and a random holdout is the meaningful one.
/// </summary>
public static class MswebConverter
{
    public static (int Users, int Items, int Interactions) Convert(string inputPath, string outputPath)
    {
        using var input = File.OpenRead(inputPath);
        using Stream source = inputPath.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(input, CompressionMode.Decompress) : input;
        using var reader = new StreamReader(source, Encoding.UTF8);
        using var writer = new StreamWriter(outputPath, append: false, new UTF8Encoding(false));
        writer.Write("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n");
        string? user = null;
        var users = 0;
        var items = new HashSet<string>(StringComparer.Ordinal);
        var rows = 0;
        while (reader.ReadLine() is { } line)
        {
            var fields = line.Split(',');
            if (fields[0] == "C" && fields.Length >= 3)
            {
                user = fields[2].Trim();
                users++;
            }
            else if (fields[0] == "V" && fields.Length >= 2)
            {
                if (user is null) throw new InvalidDataException($"{inputPath}: a V line comes before any C line");
                var item = fields[1].Trim();
                items.Add(item);
                writer.Write($"{user},{item},{rows++},view\n");
            }
        }
        return (users, items.Count, rows);
    }
}
