using System.Globalization;
using Pipeline.Domain.Catalog;

namespace Pipeline.Engine.Datasets;

/// <summary>Reads a Personalize items CSV into Domain items: ITEM_ID required; CATEGORY, PRICE and CREATION_TIMESTAMP when present.</summary>
public static class ItemsCsv
{
    public static IReadOnlyList<Item> Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, Path.GetFileName(path));
    }

    public static IReadOnlyList<Item> Read(Stream stream, string sourceName)
    {
        var items = new List<Item>();
        foreach (var row in CsvRows.Read(stream, sourceName, "ITEM_ID"))
        {
            var category = row.Get("CATEGORY");
            var price = row.Get("PRICE") is { Length: > 0 } priceText
                ? double.TryParse(priceText, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && double.IsFinite(p)
                    ? p
                    : throw row.Error("PRICE", $"'{priceText}' is not a number")
                : (double?)null;
            var createdAt = row.Get("CREATION_TIMESTAMP") is { Length: > 0 } createdText
                ? long.TryParse(createdText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                    ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                    : throw row.Error("CREATION_TIMESTAMP", $"'{createdText}' is not an epoch-seconds integer")
                : (DateTimeOffset?)null;
            items.Add(new Item(row.Id, string.IsNullOrEmpty(category) ? null : category, price, createdAt));
        }
        return items;
    }
}
