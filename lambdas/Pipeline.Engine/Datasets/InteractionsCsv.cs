using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Engine.Datasets;

/// <summary>
/// Reads a Personalize interactions CSV: columns found by the header (USER_ID, ITEM_ID and TIMESTAMP required;
/// EVENT_TYPE and EVENT_VALUE optional; other columns ignored). Parses bytes directly and hashes the file in
/// the same pass, so five million rows take seconds.
/// </summary>
public static class InteractionsCsv
{
    private const int MaxIdLength = 256;

    public static InteractionDataset Read(string path, CancellationToken cancellationToken = default)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        // Generated rows average about 40 bytes; estimating a little high avoids a doubling of every column at the end.
        var estimatedRows = (int)Math.Clamp(stream.Length / 36, 16, Array.MaxLength / 8);
        return Read(stream, Path.GetFileName(path), estimatedRows, cancellationToken);
    }

    public static InteractionDataset Read(Stream stream, string sourceName, int estimatedRows = 1024, CancellationToken cancellationToken = default)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var reader = new Utf8LineReader(stream, hash);
        var splitter = new CsvLineSplitter();
        var header = CsvHeader.Read(reader, splitter, sourceName);
        var userColumn = header.Require("USER_ID", sourceName);
        var itemColumn = header.Require("ITEM_ID", sourceName);
        var timestampColumn = header.Require("TIMESTAMP", sourceName);
        var eventTypeColumn = header.IndexOf("EVENT_TYPE");
        var eventValueColumn = header.IndexOf("EVENT_VALUE");

        var builder = new InteractionDatasetBuilder(estimatedRows);
        var fields = new Range[header.Count];
        Span<char> userId = stackalloc char[MaxIdLength];
        Span<char> itemId = stackalloc char[MaxIdLength];
        Span<char> eventType = stackalloc char[MaxIdLength];
        while (reader.TryReadLine(out var line))
        {
            var lineNumber = reader.LineNumber;
            if (line.IsEmpty) continue;
            if ((lineNumber & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            var count = splitter.Split(line, fields, out var text, out var problem);
            if (problem is not null) throw new CsvFormatException(sourceName, lineNumber, null, problem);
            if (count != header.Count)
                throw new CsvFormatException(sourceName, lineNumber, null, $"expected {header.Count} fields as in the header, found {count}");

            var user = Decode(text[fields[userColumn]], userId, sourceName, lineNumber, "USER_ID", required: true);
            var item = Decode(text[fields[itemColumn]], itemId, sourceName, lineNumber, "ITEM_ID", required: true);
            var timestampText = text[fields[timestampColumn]];
            if (!Utf8Parser.TryParse(timestampText, out long timestamp, out var consumed) || consumed != timestampText.Length || timestamp < 0)
                throw new CsvFormatException(sourceName, lineNumber, "TIMESTAMP", $"'{Encoding.UTF8.GetString(timestampText)}' is not a non-negative epoch-seconds integer");
            var type = eventTypeColumn >= 0
                ? Decode(text[fields[eventTypeColumn]], eventType, sourceName, lineNumber, "EVENT_TYPE", required: false)
                : [];
            var value = float.NaN;
            if (eventValueColumn >= 0)
            {
                var valueText = text[fields[eventValueColumn]];
                if (!valueText.IsEmpty && (!Utf8Parser.TryParse(valueText, out value, out consumed) || consumed != valueText.Length || !float.IsFinite(value)))
                    throw new CsvFormatException(sourceName, lineNumber, "EVENT_VALUE", $"'{Encoding.UTF8.GetString(valueText)}' is not a number");
            }
            builder.Add(user, item, timestamp, type, value);
        }
        return builder.Build(Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static ReadOnlySpan<char> Decode(ReadOnlySpan<byte> utf8, Span<char> destination, string source, long line, string column, bool required)
    {
        if (required && utf8.IsEmpty) throw new CsvFormatException(source, line, column, "is empty");
        if (utf8.Length > MaxIdLength) throw new CsvFormatException(source, line, column, $"is longer than {MaxIdLength} bytes");
        if (!Encoding.UTF8.TryGetChars(utf8, destination, out var written))
            throw new CsvFormatException(source, line, column, "is not valid UTF-8");
        return destination[..written];
    }
}
