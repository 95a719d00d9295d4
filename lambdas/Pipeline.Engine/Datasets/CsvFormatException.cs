namespace Pipeline.Engine.Datasets;

/// <summary>A CSV file that cannot be read; the message names the file, the line and, where known, the column.</summary>
public sealed class CsvFormatException(string source, long line, string? column, string problem)
    : FormatException(column is null ? $"{source} line {line}: {problem}" : $"{source} line {line}, column {column}: {problem}")
{
    public string File { get; } = source;
    public long Line { get; } = line;
    public string? Column { get; } = column;
}
