namespace Pipeline.Engine.Filters;

/// <summary>
/// A filter expression that does not parse. <see cref="Position"/> is the 0-based character offset of the
/// offending token in the expression; the message names the position, what was expected and what was found.
/// </summary>
public sealed class FilterExpressionException(string message, int position, string expected)
    : Exception($"Invalid filter expression at position {position} (0-based): {message}")
{
    public int Position { get; } = position;

    /// <summary>What the parser would have accepted at <see cref="Position"/>.</summary>
    public string Expected { get; } = expected;
}
