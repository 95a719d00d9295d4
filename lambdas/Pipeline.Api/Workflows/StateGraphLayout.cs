using System.Text.Json.Nodes;

namespace Pipeline.Api.Workflows;

/// <summary>One state placed on the graph: its row (layer) and column within its scope.</summary>
public sealed record GraphNode(string Name, string Type, int Layer, int Column);

/// <summary>A transition: Next, Default and Choices (<see cref="Catch"/> false), or a Catch's Next.</summary>
public sealed record GraphEdge(string From, string To, bool Catch);

/// <summary>
/// One level of a state machine laid out: the machine's own states, or a Map's iteration or a Parallel branch (each a
/// scope of its own, named after the state that holds it).
/// </summary>
public sealed record GraphScope(string Title, IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges)
{
    public int Layers => Nodes.Count == 0 ? 0 : Nodes.Max(n => n.Layer) + 1;
    public int Columns => Nodes.Count == 0 ? 0 : Nodes.GroupBy(n => n.Layer).Max(g => g.Count());
}

/// <summary>
/// A simple layered layout of an ASL definition, enough to follow a run: a state's layer is its distance from StartAt
/// over normal transitions (so loops, like the polls' Wait → Describe → Choice, point back up), states reached only by
/// a Catch go one layer below the lowest state that catches into them, and a layer's states keep the order they were
/// found in. Nested Map and Parallel states get scopes of their own, after the scope that holds them.
/// </summary>
public static class StateGraphLayout
{
    public static IReadOnlyList<GraphScope> Layout(JsonObject definition)
    {
        var scopes = new List<GraphScope>();
        AddScope(scopes, "State machine", definition);
        return scopes;
    }

    private static void AddScope(List<GraphScope> scopes, string title, JsonObject machine)
    {
        var states = machine["States"] as JsonObject ?? [];
        var start = machine["StartAt"]?.GetValue<string>() ?? "";
        var edges = new List<GraphEdge>();
        foreach (var (name, node) in states)
        {
            if (node is not JsonObject state) continue;
            foreach (var next in Targets(state)) edges.Add(new GraphEdge(name, next, Catch: false));
            foreach (var handler in (state["Catch"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (handler["Next"]?.GetValue<string>() is { } to) edges.Add(new GraphEdge(name, to, Catch: true));
            }
        }
        edges = [.. edges.Where(e => states.ContainsKey(e.To)).Distinct()];

        var layers = Layers(start, states.Select(s => s.Key).ToList(), edges);
        var columns = new Dictionary<int, int>();
        var nodes = layers.OrderBy(l => l.Value).ThenBy(l => l.Key.Order).Select(l =>
        {
            var column = columns.GetValueOrDefault(l.Value);
            columns[l.Value] = column + 1;
            var type = states[l.Key.Name]?["Type"]?.GetValue<string>() ?? "";
            return new GraphNode(l.Key.Name, type, l.Value, column);
        }).ToList();
        scopes.Add(new GraphScope(title, nodes, edges));

        foreach (var (name, node) in states)
        {
            if (node is not JsonObject state) continue;
            switch (state["Type"]?.GetValue<string>())
            {
                case "Map" when (state["ItemProcessor"] ?? state["Iterator"]) is JsonObject iteration:
                    AddScope(scopes, $"{name} (Map): each item", iteration);
                    break;
                case "Parallel" when state["Branches"] is JsonArray branches:
                    for (var i = 0; i < branches.Count; i++)
                    {
                        if (branches[i] is JsonObject branch) AddScope(scopes, $"{name} (Parallel): branch {i + 1}", branch);
                    }
                    break;
            }
        }
    }

    private static IEnumerable<string> Targets(JsonObject state)
    {
        if (state["Next"]?.GetValue<string>() is { } next) yield return next;
        // The rules before the Default, so a layer reads left to right in the order the Choice tries them.
        foreach (var choice in (state["Choices"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (choice["Next"]?.GetValue<string>() is { } to) yield return to;
        }
        if (state["Default"]?.GetValue<string>() is { } fallback) yield return fallback;
    }

    private static Dictionary<(string Name, int Order), int> Layers(string start, List<string> names, List<GraphEdge> edges)
    {
        var layer = new Dictionary<string, int>(StringComparer.Ordinal);
        var found = new List<string>();
        void Reach(string name, int depth)
        {
            layer[name] = depth;
            found.Add(name);
        }

        // Breadth first from StartAt over the normal transitions.
        var queue = new Queue<string>();
        if (names.Contains(start))
        {
            Reach(start, 0);
            queue.Enqueue(start);
        }
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var edge in edges.Where(e => !e.Catch && e.From == current && !layer.ContainsKey(e.To)))
            {
                Reach(edge.To, layer[current] + 1);
                queue.Enqueue(edge.To);
            }
        }
        // Error handlers (and what follows them): below the deepest state that leads to them, until nothing changes.
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var name in names.Where(n => !layer.ContainsKey(n)))
            {
                var from = edges.Where(e => e.To == name && layer.ContainsKey(e.From)).Select(e => layer[e.From]).DefaultIfEmpty(-1).Max();
                if (from < 0) continue;
                Reach(name, from + 1);
                changed = true;
            }
        }
        // Unreachable states (none in a valid machine) still show, at the bottom.
        var bottom = layer.Count == 0 ? 0 : layer.Values.Max() + 1;
        foreach (var name in names.Where(n => !layer.ContainsKey(n))) Reach(name, bottom);
        return found.Select((name, order) => (name, order)).ToDictionary(x => (x.name, x.order), x => layer[x.name]);
    }
}
