using System.Text.Json.Nodes;

namespace Pipeline.StatesLanguage.Json;

/// <summary>One step of a JSONPath; each selects zero or more children of each current node.</summary>
internal abstract record JsonPathSegment
{
    /// <summary>A definite segment selects at most one node, so a path of only such segments is a reference path.</summary>
    public abstract bool IsDefinite { get; }

    public abstract IEnumerable<JsonNode?> Select(JsonNode? node);
}

internal sealed record FieldSegment(string Name) : JsonPathSegment
{
    public override bool IsDefinite => true;

    public override IEnumerable<JsonNode?> Select(JsonNode? node)
    {
        if (node is JsonObject obj && obj.TryGetPropertyValue(Name, out var child))
        {
            yield return child;
        }
    }
}

internal sealed record IndexSegment(int Index) : JsonPathSegment
{
    public override bool IsDefinite => true;

    public override IEnumerable<JsonNode?> Select(JsonNode? node)
    {
        if (node is JsonArray array)
        {
            var index = Index < 0 ? array.Count + Index : Index;
            if (index >= 0 && index < array.Count)
            {
                yield return array[index];
            }
        }
    }
}

internal sealed record WildcardSegment : JsonPathSegment
{
    public override bool IsDefinite => false;

    public override IEnumerable<JsonNode?> Select(JsonNode? node) => node switch
    {
        JsonObject obj => obj.Select(pair => pair.Value),
        JsonArray array => array,
        _ => [],
    };
}

internal sealed record UnionSegment(IReadOnlyList<JsonPathSegment> Members) : JsonPathSegment
{
    public override bool IsDefinite => false;

    public override IEnumerable<JsonNode?> Select(JsonNode? node) => Members.SelectMany(member => member.Select(node));
}

internal sealed record SliceSegment(int? Start, int? End, int Step) : JsonPathSegment
{
    public override bool IsDefinite => false;

    public override IEnumerable<JsonNode?> Select(JsonNode? node)
    {
        if (node is not JsonArray array || Step == 0)
        {
            yield break;
        }
        int Normalize(int value) => Math.Clamp(value < 0 ? array.Count + value : value, 0, array.Count);
        if (Step > 0)
        {
            for (var i = Normalize(Start ?? 0); i < Normalize(End ?? array.Count); i += Step)
            {
                yield return array[i];
            }
        }
        else
        {
            var start = Start is null ? array.Count - 1 : Math.Min(Normalize(Start.Value), array.Count - 1);
            var end = End is null ? -1 : Normalize(End.Value);
            for (var i = start; i > end; i += Step)
            {
                yield return array[i];
            }
        }
    }
}

internal sealed record FilterSegment(JsonPathFilter Filter) : JsonPathSegment
{
    public override bool IsDefinite => false;

    public override IEnumerable<JsonNode?> Select(JsonNode? node)
    {
        IEnumerable<JsonNode?> candidates = node switch
        {
            JsonArray array => array,
            JsonObject obj => obj.Select(pair => pair.Value),
            _ => [],
        };
        return candidates.Where(Filter.Matches);
    }
}

/// <summary>`..name`: the named selector applied to the node and to every descendant.</summary>
internal sealed record RecursiveSegment(JsonPathSegment Selector) : JsonPathSegment
{
    public override bool IsDefinite => false;

    public override IEnumerable<JsonNode?> Select(JsonNode? node)
    {
        foreach (var descendant in SelfAndDescendants(node))
        {
            foreach (var match in Selector.Select(descendant))
            {
                yield return match;
            }
        }
    }

    private static IEnumerable<JsonNode?> SelfAndDescendants(JsonNode? node)
    {
        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject obj => obj.Select(pair => pair.Value),
            JsonArray array => array,
            _ => [],
        };
        foreach (var child in children)
        {
            foreach (var descendant in SelfAndDescendants(child))
            {
                yield return descendant;
            }
        }
    }
}
