using System.Text;

namespace Pipeline.Engine.Filters;

/// <summary>Splits a filter expression into tokens: words, "strings" (backslash escapes), numbers, $PLACEHOLDERS, punctuation and comparison operators.</summary>
internal static class FilterLexer
{
    public static List<FilterToken> Tokenize(string expression)
    {
        var tokens = new List<FilterToken>();
        var i = 0;
        while (true)
        {
            while (i < expression.Length && char.IsWhiteSpace(expression[i])) i++;
            if (i == expression.Length)
            {
                tokens.Add(new FilterToken(FilterTokenKind.End, "", i));
                return tokens;
            }
            var start = i;
            var c = expression[i];
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < expression.Length && IsWordChar(expression[i])) i++;
                tokens.Add(new FilterToken(FilterTokenKind.Word, expression[start..i], start));
            }
            else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < expression.Length && char.IsAsciiDigit(expression[i + 1])))
            {
                i++;
                while (i < expression.Length && char.IsAsciiDigit(expression[i])) i++;
                if (i + 1 < expression.Length && expression[i] == '.' && char.IsAsciiDigit(expression[i + 1]))
                {
                    i++;
                    while (i < expression.Length && char.IsAsciiDigit(expression[i])) i++;
                }
                tokens.Add(new FilterToken(FilterTokenKind.Number, expression[start..i], start));
            }
            else if (c == '"')
            {
                tokens.Add(new FilterToken(FilterTokenKind.String, ReadString(expression, ref i), start));
            }
            else if (c == '$')
            {
                i++;
                while (i < expression.Length && IsWordChar(expression[i])) i++;
                if (i == start + 1)
                    throw new FilterExpressionException("expected a placeholder name after '$'", start + 1, "a placeholder name");
                tokens.Add(new FilterToken(FilterTokenKind.Placeholder, expression[(start + 1)..i], start));
            }
            else if (c is '<' or '>' or '!' or '=')
            {
                i++;
                if (i < expression.Length && expression[i] == '=' && c != '=') i++;
                else if (c == '!')
                    throw new FilterExpressionException("expected '!=', found '!'", start, "'!='");
                tokens.Add(new FilterToken(FilterTokenKind.Operator, expression[start..i], start));
            }
            else
            {
                var kind = c switch
                {
                    '.' => FilterTokenKind.Dot,
                    ',' => FilterTokenKind.Comma,
                    '(' => FilterTokenKind.OpenParen,
                    ')' => FilterTokenKind.CloseParen,
                    '|' => FilterTokenKind.Pipe,
                    _ => throw new FilterExpressionException($"expected a keyword, field, value or operator, found '{c}'", start, "a keyword, field, value or operator"),
                };
                i++;
                tokens.Add(new FilterToken(kind, c.ToString(), start));
            }
        }
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static string ReadString(string expression, ref int i)
    {
        var start = i;
        var text = new StringBuilder();
        i++;
        while (i < expression.Length)
        {
            var c = expression[i++];
            if (c == '"') return text.ToString();
            if (c == '\\' && i < expression.Length) c = expression[i++];
            text.Append(c);
        }
        throw new FilterExpressionException(
            $"expected '\"' to close the string that starts at position {start}, found the end of the expression", expression.Length, "'\"'");
    }
}
