using System.Globalization;
using System.Net;
using System.Text;

namespace Pipeline.Api.Workflows;

/// <summary>
/// The laid-out scopes as one SVG, scopes stacked top to bottom. Each state is a <c>g.state</c> carrying
/// <c>data-state</c> and <c>data-type</c>, so the page marks the path taken and the failed state on the drawing; the
/// styles are the console's (classes only, no colours here).
/// </summary>
public static class StateGraphSvg
{
    private const int NodeWidth = 176, NodeHeight = 34, GapX = 24, GapY = 30, TitleHeight = 30, ScopeGap = 24, Margin = 12;
    private const int MaxLabel = 26;

    public static string Render(IReadOnlyList<GraphScope> scopes, string label)
    {
        // Room on the right for the loops that go back up.
        var width = 2 * Margin + Math.Max(1, scopes.Max(s => s.Columns)) * (NodeWidth + GapX) + 4 * GapX;
        var body = new StringBuilder();
        var top = Margin;
        foreach (var scope in scopes)
        {
            top = RenderScope(body, scope, top);
        }
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" class="state-graph" role="group" aria-label="{Escape(label)}" width="{width}" height="{top}" viewBox="0 0 {width} {top}">""");
        svg.Append("""<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z"/></marker></defs>""");
        svg.Append(body).Append("</svg>");
        return svg.ToString();
    }

    private static int RenderScope(StringBuilder svg, GraphScope scope, int top)
    {
        svg.Append(CultureInfo.InvariantCulture, $"""<g class="scope"><text class="scope-title" x="{Margin}" y="{top + 18}">{Escape(scope.Title)}</text>""");
        var origin = top + TitleHeight;
        var perLayer = scope.Nodes.GroupBy(n => n.Layer).ToDictionary(g => g.Key, g => g.Count());
        var scopeWidth = scope.Columns * (NodeWidth + GapX) - GapX;
        var centre = scope.Nodes.ToDictionary(n => n.Name, n =>
        {
            // Each layer centred on its scope's widest one, scopes on the left edge.
            var rowWidth = perLayer[n.Layer] * (NodeWidth + GapX) - GapX;
            var x = Margin + (scopeWidth - rowWidth) / 2 + n.Column * (NodeWidth + GapX) + NodeWidth / 2;
            var y = origin + n.Layer * (NodeHeight + GapY) + NodeHeight / 2;
            return (X: x, Y: y);
        }, StringComparer.Ordinal);

        foreach (var edge in scope.Edges)
        {
            var (from, to) = (centre[edge.From], centre[edge.To]);
            string path;
            if (to.Y > from.Y)
            {
                var (y1, y2) = (from.Y + NodeHeight / 2, to.Y - NodeHeight / 2);
                path = $"M{from.X},{y1} C{from.X},{y1 + GapY} {to.X},{y2 - GapY} {to.X},{y2}";
            }
            else
            {
                // Back to an earlier layer (a poll loop) or across one: round the right-hand side.
                var (x1, x2) = (from.X + NodeWidth / 2, to.X + NodeWidth / 2);
                var bulge = Math.Max(x1, x2) + GapX + Math.Abs(from.Y - to.Y) / 6;
                path = $"M{x1},{from.Y} C{bulge},{from.Y} {bulge},{to.Y} {x2},{to.Y}";
            }
            svg.Append(CultureInfo.InvariantCulture, $"""<path class="edge{(edge.Catch ? " catch" : "")}" data-from="{Escape(edge.From)}" data-to="{Escape(edge.To)}" d="{path}" marker-end="url(#arrow)"/>""");
        }
        foreach (var node in scope.Nodes)
        {
            var (x, y) = centre[node.Name];
            var text = node.Name.Length > MaxLabel ? node.Name[..(MaxLabel - 1)] + "…" : node.Name;
            svg.Append(CultureInfo.InvariantCulture,
                $"""<g class="state type-{Escape(node.Type.ToLowerInvariant())}" data-state="{Escape(node.Name)}" data-type="{Escape(node.Type)}"><title>{Escape(node.Name)} ({Escape(node.Type)})</title>""");
            svg.Append(CultureInfo.InvariantCulture,
                $"""<rect x="{x - NodeWidth / 2}" y="{y - NodeHeight / 2}" width="{NodeWidth}" height="{NodeHeight}" rx="{(node.Type is "Choice" ? 14 : 4)}"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x}" y="{y + 4}" text-anchor="middle">{Escape(text)}</text></g>""");
        }
        svg.Append("</g>");
        return origin + scope.Layers * (NodeHeight + GapY) + ScopeGap;
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
