namespace Pipeline.Engine.Filters;

internal enum FilterTokenKind { Word, String, Number, Placeholder, Dot, Comma, OpenParen, CloseParen, Pipe, Operator, End }

/// <summary>One token of a filter expression; <see cref="Position"/> is its 0-based offset, <see cref="Text"/> its value (unescaped for strings, without '$' for placeholders).</summary>
internal readonly record struct FilterToken(FilterTokenKind Kind, string Text, int Position)
{
    public bool IsWord(string keyword) => Kind == FilterTokenKind.Word && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    public string Describe() => Kind switch
    {
        FilterTokenKind.End => "the end of the expression",
        FilterTokenKind.String => $"\"{Text}\"",
        FilterTokenKind.Placeholder => $"${Text}",
        _ => $"'{Text}'",
    };
}
