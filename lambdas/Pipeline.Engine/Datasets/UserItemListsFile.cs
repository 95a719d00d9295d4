using System.IO.Compression;

namespace Pipeline.Engine.Datasets;

/// <summary>
/// Reads the research format of the NGCF/LightGCN splits: one line per user, <c>user item item ...</c>
/// (whitespace-separated ids), plain or gzip-compressed (recognised by its magic bytes, not by the name).
/// Several files read into one <see cref="InteractionDatasetBuilder"/> share their id tables. The format has no
/// time, so each row's timestamp is its position on the line: a user's history keeps the file's order.
/// </summary>
public static class UserItemListsFile
{
    /// <summary>
    /// Adds every (user, item) pair of the file to <paramref name="builder"/>, timestamped <paramref name="firstTimestamp"/>
    /// plus the item's position on its line (so a later file can be dated after an earlier one); returns how many rows it added.
    /// </summary>
    public static int Read(string path, InteractionDatasetBuilder builder, long firstTimestamp = 0)
    {
        ArgumentNullException.ThrowIfNull(builder);
        using var file = File.OpenRead(path);
        using var stream = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var before = builder.Count;
        while (reader.ReadLine() is { } line)
        {
            var span = line.AsSpan().Trim();
            if (span.IsEmpty) continue;
            var fields = span.SplitAny(" \t");
            if (!fields.MoveNext()) continue;
            var user = span[fields.Current];
            long position = firstTimestamp;
            while (fields.MoveNext())
            {
                var item = span[fields.Current];
                if (item.IsEmpty) continue;
                builder.Add(user, item, position++, []);
            }
        }
        return builder.Count - before;
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        var read = file.Read(magic);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }
}
