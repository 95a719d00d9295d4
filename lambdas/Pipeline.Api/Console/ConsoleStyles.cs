namespace Pipeline.Api.Console;

/// <summary>
/// The console's style sheets, read once from the assembly and inlined in every page's head: a page then needs no
/// other request before its first paint (a linked sheet blocks rendering until it arrives).
/// </summary>
public static class ConsoleStyles
{
    public static string Console { get; } = Read("console/console.css");

    /// <summary>uPlot's own sheet (vendored unchanged, Assets/THIRD-PARTY.txt), for the pages with charts.</summary>
    public static string Charts { get; } = Read("console/uPlot.min.css");

    private static string Read(string name)
    {
        using var stream = typeof(ConsoleStyles).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The console asset {name} is not embedded.");
        using var reader = new StreamReader(stream);
        // Inside <style> only "</" could end the element early; the sheets have none, and this keeps it so.
        return reader.ReadToEnd().Replace("</", "<\\/", StringComparison.Ordinal);
    }
}
