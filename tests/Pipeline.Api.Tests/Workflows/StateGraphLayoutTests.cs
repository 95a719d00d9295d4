using System.Text.Json.Nodes;
using System.Xml.Linq;
using Pipeline.Api.Workflows;

namespace Pipeline.Api.Tests.Workflows;

public sealed class StateGraphLayoutTests
{
    private const string Polling = """
        {"StartAt":"Create","States":{
          "Create":{"Type":"Task","Resource":"r","Next":"Describe","Catch":[{"ErrorEquals":["States.ALL"],"Next":"Alert"}]},
          "Describe":{"Type":"Task","Resource":"r","Next":"Check"},
          "Check":{"Type":"Choice","Choices":[{"Variable":"$.s","StringEquals":"ACTIVE","Next":"Each"}],"Default":"Wait"},
          "Wait":{"Type":"Wait","Seconds":1,"Next":"Describe"},
          "Each":{"Type":"Map","ItemProcessor":{"StartAt":"One","States":{"One":{"Type":"Pass","End":true}}},"End":true},
          "Alert":{"Type":"Pass","Next":"Failed"},
          "Failed":{"Type":"Fail","Error":"E","Cause":"<c>"}}}
        """;

    [Fact]
    public void Layout_PlacesStatesByDistanceFromStart_HandlersBelowTheirSource_AndNestedMapsInTheirOwnScope()
    {
        var scopes = StateGraphLayout.Layout(JsonNode.Parse(Polling)!.AsObject());

        var machine = scopes[0];
        var layer = machine.Nodes.ToDictionary(n => n.Name, n => n.Layer);
        Assert.Equal(new Dictionary<string, int> { ["Create"] = 0, ["Describe"] = 1, ["Check"] = 2, ["Each"] = 3, ["Wait"] = 3, ["Alert"] = 1, ["Failed"] = 2 }, layer);
        // Each (found first from Check's Choices) before Wait (its Default) in their layer.
        Assert.Equal((0, 1), (machine.Nodes.Single(n => n.Name == "Each").Column, machine.Nodes.Single(n => n.Name == "Wait").Column));
        Assert.Contains(new GraphEdge("Wait", "Describe", Catch: false), machine.Edges);
        Assert.Contains(new GraphEdge("Create", "Alert", Catch: true), machine.Edges);
        var map = scopes[1];
        Assert.Equal("Each (Map): each item", map.Title);
        Assert.Equal("One", Assert.Single(map.Nodes).Name);
    }

    [Fact]
    public void Render_GivesEachStateANodeNamedByDataState_AndIsWellFormedXml()
    {
        var definition = JsonNode.Parse(Polling.Replace("\"Failed\"", "\"Failed <&> \\\"x\\\"\"", StringComparison.Ordinal))!.AsObject();

        var svg = XDocument.Parse(StateGraphSvg.Render(StateGraphLayout.Layout(definition), "label & more"));

        XNamespace ns = "http://www.w3.org/2000/svg";
        var states = svg.Descendants(ns + "g").Where(g => g.Attribute("data-state") is not null).Select(g => g.Attribute("data-state")!.Value).ToList();
        Assert.Equal(["Create", "Describe", "Alert", "Check", "Failed <&> \"x\"", "Each", "Wait", "One"], states);
        Assert.Equal(7, svg.Descendants(ns + "path").Count(p => p.Attribute("data-from") is not null));
        Assert.Equal("label & more", svg.Root!.Attribute("aria-label")!.Value);
    }

    [Fact]
    public void Layout_OfTheGoldenTrainingMachine_HasEveryStateOnce_AndTheRecipeStatesInTheMapsScope()
    {
        var definition = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "workflows/Pipeline.Workflows.Definitions/training.asl.json")))!.AsObject();

        var scopes = StateGraphLayout.Layout(definition);

        Assert.Equal(definition["States"]!.AsObject().Count, scopes[0].Nodes.Count);
        Assert.All(scopes, s => Assert.Equal(s.Nodes.Count, s.Nodes.Select(n => n.Name).Distinct().Count()));
        Assert.Contains(scopes.Single(s => s.Title == "TrainRecipes (Map): each item").Nodes, n => n.Name == "DescribeSolutionVersion");
        Assert.Equal(3, scopes.Count(s => s.Title.StartsWith("ImportDatasets (Parallel)", StringComparison.Ordinal)));
    }
}
