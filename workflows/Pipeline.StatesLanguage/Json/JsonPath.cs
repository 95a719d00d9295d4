using System.Text.Json.Nodes;

namespace Pipeline.StatesLanguage.Json;

/// <summary>
/// A parsed JSONPath. `$` addresses the state's data, `$$` the context object. A path of only field and
/// index steps is a reference path and selects one node; other paths select a list, returned as an array.
/// </summary>
public sealed class JsonPath
{
    private readonly IReadOnlyList<JsonPathSegment> _segments;

    private JsonPath(string text, bool isContext, IReadOnlyList<JsonPathSegment> segments)
    {
        Text = text;
        IsContextPath = isContext;
        _segments = segments;
    }

    public string Text { get; }

    public bool IsContextPath { get; }

    public bool IsReferencePath => _segments.All(segment => segment.IsDefinite);

    public static JsonPath Parse(string path)
    {
        var (isContext, segments) = JsonPathParser.Parse(path);
        return new JsonPath(path, isContext, segments);
    }

    public static bool TryParse(string path, out JsonPath? parsed)
    {
        try
        {
            parsed = Parse(path);
            return true;
        }
        catch (FormatException)
        {
            parsed = null;
            return false;
        }
    }

    /// <summary>Selects from <paramref name="data"/> (or from <paramref name="context"/> for `$$` paths); the result is a copy.</summary>
    public bool TrySelect(JsonNode? data, JsonNode? context, out JsonNode? result)
    {
        var root = IsContextPath ? context : data;
        var matches = SelectRelative(root, _segments).ToList();
        if (IsReferencePath)
        {
            result = matches.Count == 1 ? JsonValues.Clone(matches[0]) : null;
            return matches.Count == 1;
        }
        result = new JsonArray(matches.Select(JsonValues.Clone).ToArray());
        return true;
    }

    /// <summary>Writes <paramref name="value"/> at this reference path inside <paramref name="target"/>, creating missing objects, as ResultPath does.</summary>
    public JsonNode? Write(JsonNode? target, JsonNode? value)
    {
        if (IsContextPath || !IsReferencePath)
        {
            throw new InvalidOperationException($"'{Text}' is not a reference path into the state's data.");
        }
        if (_segments.Count == 0)
        {
            return value;
        }
        var root = target ?? new JsonObject();
        var current = root;
        for (var i = 0; i < _segments.Count; i++)
        {
            var isLast = i == _segments.Count - 1;
            switch (_segments[i], current)
            {
                case (FieldSegment field, JsonObject obj):
                    if (isLast)
                    {
                        obj[field.Name] = value;
                    }
                    else
                    {
                        if (obj[field.Name] is not (JsonObject or JsonArray))
                        {
                            if (obj.ContainsKey(field.Name) && obj[field.Name] is not null)
                            {
                                throw new InvalidOperationException($"'{Text}' passes through '{field.Name}', which is not an object.");
                            }
                            obj[field.Name] = new JsonObject();
                        }
                        current = obj[field.Name]!;
                    }
                    break;
                case (IndexSegment index, JsonArray array):
                    var position = index.Index < 0 ? array.Count + index.Index : index.Index;
                    if (position < 0 || position >= array.Count)
                    {
                        throw new InvalidOperationException($"'{Text}' indexes past the end of an array.");
                    }
                    if (isLast)
                    {
                        array[position] = value;
                    }
                    else
                    {
                        current = array[position] ?? throw new InvalidOperationException($"'{Text}' passes through null.");
                    }
                    break;
                default:
                    throw new InvalidOperationException($"'{Text}' does not match the structure of the input.");
            }
        }
        return root;
    }

    public override string ToString() => Text;

    internal static IEnumerable<JsonNode?> SelectRelative(JsonNode? root, IReadOnlyList<JsonPathSegment> segments)
    {
        IEnumerable<JsonNode?> current = [root];
        foreach (var segment in segments)
        {
            current = current.SelectMany(segment.Select).ToList();
        }
        return current;
    }
}
