namespace Pipeline.Engine.Datasets;

/// <summary>
/// Splits one CSV line into fields. Unquoted lines (nearly all of them) are split in place; a line with quotes is
/// unescaped ("" → ") into a scratch buffer. Quoted fields must not span lines.
/// </summary>
internal sealed class CsvLineSplitter
{
    private byte[] _scratch = new byte[1024];

    /// <summary>Returns the number of fields; <paramref name="text"/> is what the ranges index into.</summary>
    public int Split(ReadOnlySpan<byte> line, Span<Range> fields, out ReadOnlySpan<byte> text, out string? problem)
    {
        problem = null;
        if (line.IndexOf((byte)'"') < 0)
        {
            text = line;
            var count = 0;
            var start = 0;
            while (true)
            {
                var comma = line[start..].IndexOf((byte)',');
                var end = comma < 0 ? line.Length : start + comma;
                if (count < fields.Length) fields[count] = start..end;
                count++;
                if (comma < 0) return count;
                start = end + 1;
            }
        }
        return SplitQuoted(line, fields, out text, out problem);
    }

    private int SplitQuoted(ReadOnlySpan<byte> line, Span<Range> fields, out ReadOnlySpan<byte> text, out string? problem)
    {
        problem = null;
        if (_scratch.Length < line.Length) _scratch = new byte[line.Length * 2];
        var output = 0;
        var count = 0;
        var i = 0;
        while (true)
        {
            var fieldStart = output;
            if (i < line.Length && line[i] == (byte)'"')
            {
                i++;
                var closed = false;
                while (i < line.Length)
                {
                    if (line[i] == (byte)'"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == (byte)'"')
                        {
                            _scratch[output++] = (byte)'"';
                            i += 2;
                            continue;
                        }
                        i++;
                        closed = true;
                        break;
                    }
                    _scratch[output++] = line[i++];
                }
                if (!closed)
                {
                    problem = "unterminated quoted field (quoted fields cannot span lines)";
                    text = default;
                    return count;
                }
                if (i < line.Length && line[i] != (byte)',')
                {
                    problem = "unexpected character after a closing quote";
                    text = default;
                    return count;
                }
            }
            else
            {
                while (i < line.Length && line[i] != (byte)',') _scratch[output++] = line[i++];
            }
            if (count < fields.Length) fields[count] = fieldStart..output;
            count++;
            if (i >= line.Length)
            {
                text = _scratch.AsSpan(0, output);
                return count;
            }
            i++; // the comma
        }
    }
}
