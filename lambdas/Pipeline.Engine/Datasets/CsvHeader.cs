using System.Text;

namespace Pipeline.Engine.Datasets;

/// <summary>The column names of a CSV header, matched case-insensitively as Personalize does.</summary>
internal sealed class CsvHeader
{
    private readonly string[] _names;

    private CsvHeader(string[] names) => _names = names;

    public int Count => _names.Length;

    public string this[int index] => _names[index];

    public static CsvHeader Read(Utf8LineReader reader, CsvLineSplitter splitter, string source)
    {
        if (!reader.TryReadLine(out var line) || line.IsEmpty)
            throw new CsvFormatException(source, 1, null, "the file is empty; expected a header row");
        var ranges = new Range[256];
        var count = splitter.Split(line, ranges, out var text, out var problem);
        if (problem is not null) throw new CsvFormatException(source, 1, null, problem);
        if (count > ranges.Length) throw new CsvFormatException(source, 1, null, $"too many columns ({count}); at most {ranges.Length}");
        var names = new string[count];
        for (var i = 0; i < count; i++) names[i] = Encoding.UTF8.GetString(text[ranges[i]]).Trim();
        return new CsvHeader(names);
    }

    /// <summary>The index of a column, or -1 when the file has no such column.</summary>
    public int IndexOf(string name) => Array.FindIndex(_names, n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));

    public int Require(string name, string source)
    {
        var index = IndexOf(name);
        return index >= 0 ? index : throw new CsvFormatException(source, 1, name, $"the header has no {name} column (it has {string.Join(",", _names)})");
    }
}
