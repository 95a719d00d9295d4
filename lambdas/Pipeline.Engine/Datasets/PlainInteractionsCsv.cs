using System.Globalization;

namespace Pipeline.Engine.Datasets;

/// <summary>
/// Reads a plain interactions CSV whose user, item and (optional) time columns are named by the caller, e.g.
/// <c>user,item,timestamp</c>. Rows without a time column get timestamp 0, keeping file order.
/// </summary>
public static class PlainInteractionsCsv
{
    public static InteractionDataset Read(string path, string userColumn, string itemColumn, string? timeColumn)
    {
        using var stream = File.OpenRead(path);
        var builder = new InteractionDatasetBuilder();
        foreach (var row in CsvRows.Read(stream, Path.GetFileName(path), userColumn))
        {
            var item = row.Get(itemColumn) ?? throw row.Error(itemColumn, $"the header has no {itemColumn} column");
            if (item.Length == 0) throw row.Error(itemColumn, "is empty");
            long timestamp = 0;
            if (timeColumn is not null)
            {
                var text = row.Get(timeColumn) ?? throw row.Error(timeColumn, $"the header has no {timeColumn} column");
                if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out timestamp) || timestamp < 0)
                    throw row.Error(timeColumn, $"'{text}' is not a non-negative integer timestamp");
            }
            builder.Add(row.Id, item, timestamp, []);
        }
        return builder.Build();
    }
}
