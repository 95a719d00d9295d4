using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Pipeline.StatesLanguage.Json;

/// <summary>Parses the JSONPath subset Step Functions uses: dot and bracket fields, indexes, `*`, slices, unions, `..` and filters.</summary>
internal sealed class JsonPathParser
{
    private readonly string _text;
    private int _position;

    private JsonPathParser(string text, int position)
    {
        _text = text;
        _position = position;
    }

    public static (bool IsContext, IReadOnlyList<JsonPathSegment> Segments) Parse(string path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '$')
        {
            throw new FormatException($"The path '{path}' must start with '$'.");
        }
        var isContext = path.StartsWith("$$", StringComparison.Ordinal);
        var parser = new JsonPathParser(path, isContext ? 2 : 1);
        var segments = parser.ParseSegments(stopAtFilterEnd: false);
        if (parser._position != path.Length)
        {
            throw new FormatException($"The path '{path}' has unexpected text at position {parser._position}.");
        }
        return (isContext, segments);
    }

    private List<JsonPathSegment> ParseSegments(bool stopAtFilterEnd)
    {
        var segments = new List<JsonPathSegment>();
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (stopAtFilterEnd && (c is ' ' or ')' or '=' or '!' or '<' or '>' or '&' or '|'))
            {
                break;
            }
            if (c == '.')
            {
                if (Peek(1) == '.')
                {
                    _position += 2;
                    segments.Add(new RecursiveSegment(Peek(0) == '[' ? ParseBracket() : ParseDotName()));
                }
                else
                {
                    _position++;
                    segments.Add(ParseDotName());
                }
            }
            else if (c == '[')
            {
                segments.Add(ParseBracket());
            }
            else
            {
                throw Error($"unexpected character '{c}'");
            }
        }
        return segments;
    }

    private JsonPathSegment ParseDotName()
    {
        if (Peek(0) == '*')
        {
            _position++;
            return new WildcardSegment();
        }
        var start = _position;
        while (_position < _text.Length && _text[_position] is not ('.' or '[' or ' ' or ')' or '=' or '!' or '<' or '>' or '&' or '|'))
        {
            _position++;
        }
        if (_position == start)
        {
            throw Error("a field name is missing");
        }
        return new FieldSegment(_text[start.._position]);
    }

    private JsonPathSegment ParseBracket()
    {
        _position++; // [
        SkipSpaces();
        JsonPathSegment segment;
        if (Peek(0) == '*')
        {
            _position++;
            segment = new WildcardSegment();
        }
        else if (Peek(0) == '?')
        {
            _position++;
            Expect('(');
            segment = new FilterSegment(ParseOr());
            SkipSpaces();
            Expect(')');
        }
        else if (Peek(0) is '\'' or '"')
        {
            var names = new List<JsonPathSegment> { new FieldSegment(ParseQuoted()) };
            SkipSpaces();
            while (Peek(0) == ',')
            {
                _position++;
                SkipSpaces();
                names.Add(new FieldSegment(ParseQuoted()));
                SkipSpaces();
            }
            segment = names.Count == 1 ? names[0] : new UnionSegment(names);
        }
        else
        {
            segment = ParseIndexes();
        }
        SkipSpaces();
        Expect(']');
        return segment;
    }

    private JsonPathSegment ParseIndexes()
    {
        var first = ParseOptionalInt();
        SkipSpaces();
        if (Peek(0) == ':')
        {
            _position++;
            var end = ParseOptionalInt();
            var step = 1;
            if (Peek(0) == ':')
            {
                _position++;
                step = ParseOptionalInt() ?? 1;
            }
            return new SliceSegment(first, end, step);
        }
        if (first is null)
        {
            throw Error("an index is missing");
        }
        var indexes = new List<JsonPathSegment> { new IndexSegment(first.Value) };
        while (Peek(0) == ',')
        {
            _position++;
            SkipSpaces();
            indexes.Add(new IndexSegment(ParseOptionalInt() ?? throw Error("an index is missing")));
            SkipSpaces();
        }
        return indexes.Count == 1 ? indexes[0] : new UnionSegment(indexes);
    }

    private JsonPathFilter ParseOr()
    {
        var left = ParseAnd();
        SkipSpaces();
        while (_text.AsSpan(_position).StartsWith("||"))
        {
            _position += 2;
            left = new OrFilter(left, ParseAnd());
            SkipSpaces();
        }
        return left;
    }

    private JsonPathFilter ParseAnd()
    {
        var left = ParseComparison();
        SkipSpaces();
        while (_text.AsSpan(_position).StartsWith("&&"))
        {
            _position += 2;
            left = new AndFilter(left, ParseComparison());
            SkipSpaces();
        }
        return left;
    }

    private JsonPathFilter ParseComparison()
    {
        SkipSpaces();
        if (Peek(0) == '(')
        {
            _position++;
            var inner = ParseOr();
            SkipSpaces();
            Expect(')');
            return inner;
        }
        Expect('@');
        var relative = ParseSegments(stopAtFilterEnd: true);
        SkipSpaces();
        var op = new[] { "==", "!=", "<=", ">=", "<", ">" }.FirstOrDefault(o => _text.AsSpan(_position).StartsWith(o));
        if (op is null)
        {
            return new ExistsFilter(relative);
        }
        _position += op.Length;
        SkipSpaces();
        return new ComparisonFilter(relative, op, ParseLiteral());
    }

    private JsonNode? ParseLiteral()
    {
        if (Peek(0) is '\'' or '"')
        {
            return JsonValue.Create(ParseQuoted());
        }
        var start = _position;
        while (_position < _text.Length && _text[_position] is not (' ' or ')' or '&' or '|'))
        {
            _position++;
        }
        var token = _text[start.._position];
        return token switch
        {
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            "null" => null,
            _ when decimal.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            _ => throw Error($"'{token}' is not a literal"),
        };
    }

    private string ParseQuoted()
    {
        var quote = _text[_position++];
        var builder = new StringBuilder();
        while (_position < _text.Length && _text[_position] != quote)
        {
            if (_text[_position] == '\\' && _position + 1 < _text.Length)
            {
                _position++;
            }
            builder.Append(_text[_position++]);
        }
        Expect(quote);
        return builder.ToString();
    }

    private int? ParseOptionalInt()
    {
        SkipSpaces();
        var start = _position;
        if (Peek(0) == '-')
        {
            _position++;
        }
        while (_position < _text.Length && char.IsAsciiDigit(_text[_position]))
        {
            _position++;
        }
        return _position == start ? null : int.Parse(_text.AsSpan(start, _position - start), CultureInfo.InvariantCulture);
    }

    private void Expect(char c)
    {
        if (Peek(0) != c)
        {
            throw Error($"'{c}' was expected");
        }
        _position++;
    }

    private void SkipSpaces()
    {
        while (Peek(0) == ' ')
        {
            _position++;
        }
    }

    private char Peek(int offset) => _position + offset < _text.Length ? _text[_position + offset] : '\0';

    private FormatException Error(string problem) => new($"The path '{_text}' is invalid: {problem} at position {_position}.");
}
