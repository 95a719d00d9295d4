using System.Text;

namespace Pipeline.Engine.Datasets;

/// <summary>Row-at-a-time reading of small metadata CSVs (items, users) as strings, keyed by header name.</summary>
internal static class CsvRows
{
    public static IEnumerable<CsvRow> Read(Stream stream, string sourceName, string idColumn)
    {
        var reader = new Utf8LineReader(stream, bufferSize: 64 * 1024);
        var splitter = new CsvLineSplitter();
        var header = CsvHeader.Read(reader, splitter, sourceName);
        var idIndex = header.Require(idColumn, sourceName);
        var fields = new Range[header.Count];
        while (ReadValues(reader, splitter, header, fields, sourceName, out var values, out var lineNumber))
        {
            if (values is null) continue;
            if (values[idIndex].Length == 0) throw new CsvFormatException(sourceName, lineNumber, idColumn, "is empty");
            yield return new CsvRow(header, values, idIndex, sourceName, lineNumber);
        }
    }

    // Spans cannot live across a yield, so each line is turned into strings here.
    private static bool ReadValues(Utf8LineReader reader, CsvLineSplitter splitter, CsvHeader header, Range[] fields, string sourceName, out string[]? values, out long lineNumber)
    {
        values = null;
        if (!reader.TryReadLine(out var line))
        {
            lineNumber = reader.LineNumber;
            return false;
        }
        lineNumber = reader.LineNumber;
        if (line.IsEmpty) return true;
        var count = splitter.Split(line, fields, out var text, out var problem);
        if (problem is not null) throw new CsvFormatException(sourceName, lineNumber, null, problem);
        if (count != header.Count) throw new CsvFormatException(sourceName, lineNumber, null, $"expected {header.Count} fields as in the header, found {count}");
        values = new string[count];
        for (var i = 0; i < count; i++) values[i] = Encoding.UTF8.GetString(text[fields[i]]);
        return true;
    }
}

internal sealed class CsvRow(CsvHeader header, string[] values, int idIndex, string sourceName, long lineNumber)
{
    public string Id => values[idIndex];

    /// <summary>The value of a column, or null when the file has no such column.</summary>
    public string? Get(string column)
    {
        var index = header.IndexOf(column);
        return index < 0 ? null : values[index];
    }

    public CsvFormatException Error(string column, string problem) => new(sourceName, lineNumber, column, problem);

    public IReadOnlyDictionary<string, string> AttributesExceptId()
    {
        var attributes = new Dictionary<string, string>(header.Count - 1, StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
            if (i != idIndex) attributes[header[i]] = values[i];
        return attributes;
    }
}
