using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Interpreter;
using Pipeline.StatesLanguage.Tests.Hosting;

namespace Pipeline.StatesLanguage.Tests.Interpreter;

public class MapStateTests
{
    private readonly WorkflowHost _host = new();

    private static string MapOverItems(string mapFields, string processorStates, string startAt = "Process") => $$"""
        { "StartAt": "EachItem", "States": { "EachItem": { "Type": "Map", {{mapFields}}, "End": true,
            "ItemProcessor": { "ProcessorConfig": { "Mode": "INLINE" }, "StartAt": "{{startAt}}", "States": { {{processorStates}} } } } } }
        """;

    [Fact]
    public void EachItem_RunsThroughTheProcessorAndResultsKeepItemOrder()
    {
        var execution = _host.Run(
            MapOverItems("\"ItemsPath\": \"$.recipes\", \"ResultPath\": \"$.trained\"",
                "\"Process\": { \"Type\": \"Pass\", \"Parameters\": { \"recipe.$\": \"$\", \"status\": \"ACTIVE\" }, \"End\": true }"),
            """{"recipes": ["popularity", "similar-items", "user-personalization"]}""");

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal(
            """{"recipes":["popularity","similar-items","user-personalization"],"trained":[{"recipe":"popularity","status":"ACTIVE"},{"recipe":"similar-items","status":"ACTIVE"},{"recipe":"user-personalization","status":"ACTIVE"}]}""",
            execution.Json());
        Assert.Equal(3, execution.OfType("MapStateStarted").Single().Details!["length"]!.GetValue<int>());
        Assert.Equal([0, 1, 2], execution.OfType("MapIterationStarted").Select(e => e.Details!["index"]!.GetValue<int>()));
        Assert.Equal(3, execution.OfType("MapIterationSucceeded").Count);
    }

    [Fact]
    public void ItemSelector_SeesTheItemIndexAndValueInTheContextObject()
    {
        var execution = _host.Run(
            MapOverItems("\"ItemsPath\": \"$.users\", \"ItemSelector\": { \"index.$\": \"$$.Map.Item.Index\", \"user.$\": \"$$.Map.Item.Value\", \"campaign.$\": \"$.campaign\" }",
                "\"Process\": { \"Type\": \"Pass\", \"End\": true }"),
            """{"users": ["u1", "u2"], "campaign": "c-9"}""");

        Assert.Equal("""[{"index":0,"user":"u1","campaign":"c-9"},{"index":1,"user":"u2","campaign":"c-9"}]""", execution.Json());
    }

    [Fact]
    public void LegacyIteratorAndParametersFields_StillWork()
    {
        var execution = _host.Run("""
            { "StartAt": "M", "States": { "M": { "Type": "Map", "End": true, "Parameters": { "v.$": "$$.Map.Item.Value" },
                "Iterator": { "StartAt": "P", "States": { "P": { "Type": "Pass", "OutputPath": "$.v", "End": true } } } } } }
            """, "[1, 2, 3]");

        Assert.Equal("[1,2,3]", execution.Json());
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 60)]
    [InlineData(2, 30)]
    [InlineData(4, 20)]
    public void MaxConcurrency_LimitsHowManyIterationsWaitAtOnce(int maxConcurrency, int expectedSeconds)
    {
        var execution = _host.Run(
            MapOverItems($"\"MaxConcurrency\": {maxConcurrency}", "\"Process\": { \"Type\": \"Wait\", \"Seconds\": 10, \"End\": true }"),
            "[1, 2, 3, 4, 5, 6]");

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), _host.Clock.Elapsed);
    }

    [Fact]
    public void MaxConcurrency_BoundsTheItemsInFlight()
    {
        var inFlight = 0;
        var peak = 0;
        _host.Tasks.AddAwsSdk("personalize", "describeSolution", async (_, cancellationToken) =>
        {
            peak = Math.Max(peak, ++inFlight);
            await Task.Delay(TimeSpan.FromSeconds(5), _host.Clock, cancellationToken);
            inFlight--;
            return new JsonObject();
        });
        _host.Run(
            MapOverItems("\"MaxConcurrency\": 3", "\"Process\": { \"Type\": \"Task\", \"Resource\": \"arn:aws:states:::aws-sdk:personalize:describeSolution\", \"End\": true }"),
            "[1, 2, 3, 4, 5, 6, 7]");

        Assert.Equal(3, peak);
    }

    [Fact]
    public void FailingIteration_FailsTheMapWithItsError()
    {
        var execution = _host.Run(
            MapOverItems("\"ItemsPath\": \"$\"", """
                "Check": { "Type": "Choice", "Choices": [ { "Variable": "$", "NumericGreaterThan": 2, "Next": "TooBig" } ], "Default": "Fine" },
                "TooBig": { "Type": "Fail", "Error": "Item.TooBig", "CausePath": "States.Format('item {} is too big', $)" },
                "Fine": { "Type": "Pass", "End": true }
                """, startAt: "Check"),
            "[1, 2, 3]");

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("Item.TooBig", execution.Error);
        Assert.Equal("item 3 is too big", execution.Cause);
        Assert.Single(execution.OfType("MapIterationFailed"));
        Assert.Single(execution.OfType("MapStateFailed"));
    }

    [Fact]
    public void Map_WithMaxConcurrencyOne_StartsNoIterationAfterOneHasFailed()
    {
        // Found by the differential tests against moto_server (Conformance/catch-map-iteration): the third item
        // used to get a MapIterationStarted and a MapIterationAborted after the second had failed the Map.
        var execution = _host.Run(
            MapOverItems("\"MaxConcurrency\": 1, \"Retry\": [ { \"ErrorEquals\": [ \"Item.Invalid\" ], \"IntervalSeconds\": 1, \"MaxAttempts\": 1 } ]", """
                "Check": { "Type": "Choice", "Choices": [ { "Variable": "$", "NumericGreaterThan": 1, "Next": "Invalid" } ], "Default": "Fine" },
                "Invalid": { "Type": "Fail", "Error": "Item.Invalid" },
                "Fine": { "Type": "Pass", "End": true }
                """, startAt: "Check"),
            "[1, 2, 3]");

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal([0, 1, 0, 1], execution.OfType("MapIterationStarted").Select(e => e.Details!["index"]!.GetValue<int>()));
        Assert.Empty(execution.OfType("MapIterationAborted"));
        Assert.Equal(2, execution.OfType("MapStateStarted").Count);
        Assert.Single(execution.OfType("MapStateFailed"));
    }

    [Fact]
    public void ItemsPath_ThatIsNotAnArray_IsARuntimeError()
    {
        var execution = _host.Run(MapOverItems("\"ItemsPath\": \"$.items\"", "\"Process\": { \"Type\": \"Pass\", \"End\": true }"), """{"items": "nope"}""");

        Assert.Equal("States.Runtime", execution.Error);
    }
}
