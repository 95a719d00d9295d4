using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Interpreter;
using Pipeline.StatesLanguage.Tests.Hosting;

namespace Pipeline.StatesLanguage.Tests.Interpreter;

/// <summary>The worked examples of the Step Functions docs pages on input and output processing.</summary>
public class InputOutputProcessingTests
{
    private readonly WorkflowHost _host = new();

    public InputOutputProcessingTests()
    {
        _host.Tasks.AddAwsSdk("math", "add", invocation =>
            JsonValue.Create(invocation.Parameters!["val1"]!.GetValue<int>() + invocation.Parameters!["val2"]!.GetValue<int>()));
    }

    private static string AddTask(string paths) => $$"""
        { "StartAt": "Add", "States": { "Add": { "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:math:add", {{paths}}, "End": true } } }
        """;

    [Fact]
    public void InputPathResultPathAndOutputPathDollar_AddTheSumToTheInput()
    {
        var execution = _host.Run(AddTask("\"InputPath\": \"$.numbers\", \"ResultPath\": \"$.sum\", \"OutputPath\": \"$\""),
            """{ "title": "Numbers to add", "numbers": { "val1": 3, "val2": 4 } }""");

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal("""{"title":"Numbers to add","numbers":{"val1":3,"val2":4},"sum":7}""", execution.Json());
        Assert.Equal("""{"val1":3,"val2":4}""", execution.OfType("TaskScheduled").Single().Parameters!.ToJsonString());
    }

    [Fact]
    public void OutputPath_OnTheResult_LeavesOnlyTheSum()
    {
        var execution = _host.Run(AddTask("\"InputPath\": \"$.numbers\", \"ResultPath\": \"$.sum\", \"OutputPath\": \"$.sum\""),
            """{ "numbers": { "val1": 3, "val2": 4 } }""");

        Assert.Equal("7", execution.Json());
    }

    [Fact]
    public void Parameters_SelectWithPathsAndKeepStaticValues()
    {
        var execution = _host.Run("""
            { "StartAt": "Select", "States": { "Select": { "Type": "Pass", "End": true, "Parameters": {
                "comment": "Selecting what I care about.",
                "MyDetails": { "size.$": "$.product.details.size", "exists.$": "$.product.availability", "StaticValue": "foo" } } } } }
            """, """
            { "comment": "Example for Parameters.",
              "product": { "details": { "color": "blue", "size": "small", "material": "cotton" }, "availability": "in stock", "sku": "2317", "cost": "$23" } }
            """);

        Assert.Equal("""{"comment":"Selecting what I care about.","MyDetails":{"size":"small","exists":"in stock","StaticValue":"foo"}}""", execution.Json());
    }

    [Fact]
    public void ResultPath_PlacesTheResultInTheInput()
    {
        _host.Tasks.AddLambdaFunction("HelloFunction", payload => JsonValue.Create($"Hello, {payload!["who"]}!"));
        var execution = _host.Run("""
            { "StartAt": "Hello", "States": { "Hello": { "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:HelloFunction", "ResultPath": "$.taskresult", "End": true } } }
            """, """{ "comment": "This is a test of the input and output of a Task state.", "details": "Default example", "who": "AWS Step Functions" }""");

        Assert.Equal("""{"comment":"This is a test of the input and output of a Task state.","details":"Default example","who":"AWS Step Functions","taskresult":"Hello, AWS Step Functions!"}""", execution.Json());
    }

    [Fact]
    public void ResultPathNull_DiscardsTheResultAndPassesTheInputThrough()
    {
        var execution = _host.Run(AddTask("\"ResultPath\": null"), """{ "val1": 1, "val2": 2, "keep": true }""");

        Assert.Equal("""{"val1":1,"val2":2,"keep":true}""", execution.Json());
    }

    [Fact]
    public void ResultPath_ThatCannotBeApplied_IsAResultPathMatchFailure()
    {
        var execution = _host.Run(AddTask("\"ResultPath\": \"$.val1.sum\""), """{ "val1": 1, "val2": 2 }""");

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("States.ResultPathMatchFailure", execution.Error);
    }

    [Fact]
    public void AllFiveSteps_ApplyInAWSOrder()
    {
        // InputPath narrows, Parameters reshapes, the task adds, ResultSelector reshapes the result,
        // ResultPath puts it into the *original* input, OutputPath picks from that.
        var execution = _host.Run("""
            { "StartAt": "Add", "States": { "Add": {
                "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:math:add",
                "InputPath": "$.order",
                "Parameters": { "val1.$": "$.price", "val2.$": "$.shipping" },
                "ResultSelector": { "total.$": "$", "currency": "EUR" },
                "ResultPath": "$.order.invoice",
                "OutputPath": "$.order",
                "End": true } } }
            """, """{ "order": { "price": 40, "shipping": 5 }, "customer": "c-1" }""");

        Assert.Equal("""{"price":40,"shipping":5,"invoice":{"total":45,"currency":"EUR"}}""", execution.Json());
    }

    [Fact]
    public void InputPathNull_GivesTheTaskAnEmptyObjectAndOutputPathNullSendsOneOn()
    {
        _host.Tasks.AddAwsSdk("echo", "call", invocation => invocation.Parameters);
        var execution = _host.Run("""
            { "StartAt": "Echo", "States": {
                "Echo": { "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:echo:call", "InputPath": null, "ResultPath": "$.echo", "Next": "Drop" },
                "Drop": { "Type": "Pass", "OutputPath": null, "End": true } } }
            """, """{ "a": 1 }""");

        Assert.Equal("{}", execution.OfType("TaskScheduled").Single().Parameters!.ToJsonString());
        Assert.Equal("""{"a":1,"echo":{}}""", execution.OfType("PassStateEntered").Single().Input!.ToJsonString());
        Assert.Equal("{}", execution.Json());
    }

    [Fact]
    public void MissingParametersPath_FailsTheExecutionWithStatesRuntime()
    {
        var execution = _host.Run("""
            { "StartAt": "P", "States": { "P": { "Type": "Pass", "Parameters": { "x.$": "$.nope" }, "End": true } } }
            """, """{ "a": 1 }""");

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("States.Runtime", execution.Error);
        Assert.Equal("An error occurred while executing the state 'P' (entered at the event id #2). The JSONPath '$.nope' specified for the field 'x.$' could not be found in the input '{\"a\":1}'", execution.Cause);
    }

    [Fact]
    public void ContextObject_DescribesTheExecutionStateAndMachine()
    {
        _host.Clock.Advance(TimeSpan.FromMinutes(5));
        var execution = _host.Run("""
            { "StartAt": "Describe", "States": { "Describe": { "Type": "Pass", "End": true, "Parameters": {
                "id.$": "$$.Execution.Id", "name.$": "$$.Execution.Name", "input.$": "$$.Execution.Input", "start.$": "$$.Execution.StartTime",
                "state.$": "$$.State.Name", "entered.$": "$$.State.EnteredTime", "retries.$": "$$.State.RetryCount",
                "machine.$": "$$.StateMachine.Id", "machineName.$": "$$.StateMachine.Name" } } } }
            """, """{ "k": "v" }""", name: "run-1");

        Assert.Equal(
            """{"id":"arn:aws:states:us-east-1:123456789012:execution:TestStateMachine:run-1","name":"run-1","input":{"k":"v"},"start":"2024-01-01T00:05:00.000Z","state":"Describe","entered":"2024-01-01T00:05:00.000Z","retries":0,"machine":"arn:aws:states:us-east-1:123456789012:stateMachine:TestStateMachine","machineName":"TestStateMachine"}""",
            execution.Json());
    }

    [Fact]
    public void Pass_WithResultAndResultPath_MergesTheFixedResult()
    {
        var execution = _host.Run("""
            { "StartAt": "P", "States": { "P": { "Type": "Pass", "Result": { "x-datum": 0.381018, "y-datum": 622.2269926397355 }, "ResultPath": "$.coords", "End": true } } }
            """, """{ "georefOf": "Home" }""");

        Assert.Equal("""{"georefOf":"Home","coords":{"x-datum":0.381018,"y-datum":622.2269926397355}}""", execution.Json());
    }

    [Fact]
    public void IntrinsicFunctions_RunInsideParameters()
    {
        var execution = _host.Run("""
            { "StartAt": "P", "States": { "P": { "Type": "Pass", "End": true, "Parameters": {
                "greeting.$": "States.Format('Hello, {}!', $.name)", "ids.$": "States.Array($.id, States.MathAdd($.id, 1))" } } } }
            """, """{ "name": "Ada", "id": 41 }""");

        Assert.Equal("""{"greeting":"Hello, Ada!","ids":[41,42]}""", execution.Json());
    }
}
