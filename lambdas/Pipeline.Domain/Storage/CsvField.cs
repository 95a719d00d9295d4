namespace Pipeline.Domain.Storage;

/// <summary>
/// One field of a CSV row as written to the data files Personalize imports (the event archive in S3, the local
/// Personalize's dataset files), quoted as RFC 4180 has it: ids are caller-supplied strings and may hold commas,
/// quotes or line breaks. The engine's readers (<c>Pipeline.Engine.Datasets</c>) read it back.
/// </summary>
public static class CsvField
{
    /// <summary>The value as is, or in quotes with its quotes doubled when it holds a comma, a quote, CR or LF.</summary>
    public static string Escape(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
