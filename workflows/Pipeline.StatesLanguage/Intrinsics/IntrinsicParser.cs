using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Json;

namespace Pipeline.StatesLanguage.Intrinsics;

/// <summary>
/// Parses `States.Name(arg, ...)`. String literals are single-quoted; inside them `\'`, `\{`, `\}` and `\\`
/// are escapes, and a lone backslash is an error, as the States Language specifies.
/// </summary>
internal sealed class IntrinsicParser
{
    private readonly string _text;
    private int _position;

    private IntrinsicParser(string text) => _text = text;

    public static bool LooksLikeCall(string text) => text.StartsWith("States.", StringComparison.Ordinal);

    public static FunctionCall Parse(string text)
    {
        var parser = new IntrinsicParser(text);
        var call = parser.ParseCall();
        parser.SkipSpaces();
        if (parser._position != text.Length)
        {
            throw parser.Error("unexpected text after the closing parenthesis");
        }
        return call;
    }

    private FunctionCall ParseCall()
    {
        var start = _position;
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] == '.'))
        {
            _position++;
        }
        var name = _text[start.._position];
        if (!IntrinsicFunctions.IsKnown(name))
        {
            throw Error($"'{name}' is not a known intrinsic function");
        }
        SkipSpaces();
        Expect('(');
        var arguments = new List<IntrinsicExpression>();
        SkipSpaces();
        if (Peek() != ')')
        {
            arguments.Add(ParseArgument());
            SkipSpaces();
            while (Peek() == ',')
            {
                _position++;
                arguments.Add(ParseArgument());
                SkipSpaces();
            }
        }
        Expect(')');
        return new FunctionCall(name, arguments);
    }

    private IntrinsicExpression ParseArgument()
    {
        SkipSpaces();
        var c = Peek();
        if (c == '\'')
        {
            var (value, template) = ParseString();
            return new LiteralArgument(JsonValue.Create(value), template);
        }
        if (c == '$')
        {
            return new PathArgument(JsonPath.Parse(ReadPathText()));
        }
        if (LooksLikeCall(_text[_position..]))
        {
            return ParseCall();
        }
        var start = _position;
        while (_position < _text.Length && _text[_position] is not (',' or ')' or ' '))
        {
            _position++;
        }
        var token = _text[start.._position];
        return token switch
        {
            "true" => new LiteralArgument(JsonValue.Create(true)),
            "false" => new LiteralArgument(JsonValue.Create(false)),
            "null" => new LiteralArgument(null),
            _ when decimal.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) =>
                new LiteralArgument(JsonNode.Parse(number.ToString(CultureInfo.InvariantCulture))),
            _ => throw Error($"'{token}' is not a valid argument"),
        };
    }

    // A path ends at a comma or closing parenthesis outside brackets and quotes.
    private string ReadPathText()
    {
        var start = _position;
        var depth = 0;
        char? quote = null;
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c is '[' or '(')
            {
                depth++;
            }
            else if (c is ']')
            {
                depth--;
            }
            else if (c == ')' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0 && c is ',' or ')' or ' ')
            {
                break;
            }
            _position++;
        }
        return _text[start.._position];
    }

    private (string Value, string FormatTemplate) ParseString()
    {
        Expect('\'');
        var builder = new StringBuilder();
        var template = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw Error("a string literal is not closed");
            }
            var c = _text[_position++];
            if (c == '\'')
            {
                return (builder.ToString(), template.ToString());
            }
            if (c == '\\')
            {
                var escaped = _position < _text.Length ? _text[_position++] : '\0';
                if (escaped is not ('\'' or '{' or '}' or '\\'))
                {
                    throw Error("an open escape backslash is not allowed");
                }
                builder.Append(escaped);
                template.Append(escaped is '{' or '}' or '\\' ? "\\" + escaped : escaped.ToString());
                continue;
            }
            builder.Append(c);
            template.Append(c);
        }
    }

    private void SkipSpaces()
    {
        while (Peek() == ' ')
        {
            _position++;
        }
    }

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private void Expect(char c)
    {
        if (Peek() != c)
        {
            throw Error($"'{c}' was expected");
        }
        _position++;
    }

    private FormatException Error(string problem) => new($"The intrinsic function '{_text}' is invalid: {problem} at position {_position}.");
}
