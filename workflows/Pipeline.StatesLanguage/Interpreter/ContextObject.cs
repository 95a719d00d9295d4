using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Json;

namespace Pipeline.StatesLanguage.Interpreter;

/// <summary>The `$$` object a state sees: Execution, State, StateMachine, and Task or Map.Item where they apply.</summary>
internal static class ContextObject
{
    public static JsonObject Build(ExecutionScope execution, string stateName, DateTimeOffset enteredTime, int retryCount, MapItem? item, string? taskToken)
    {
        var context = new JsonObject
        {
            ["Execution"] = new JsonObject
            {
                ["Id"] = execution.ExecutionArn,
                ["Input"] = JsonValues.Clone(execution.Input),
                ["Name"] = execution.Name,
                ["RoleArn"] = $"arn:aws:iam::{execution.Options.AccountId}:role/StatesExecutionRole",
                ["StartTime"] = JsonValues.FormatTimestamp(execution.StartTime),
            },
            ["State"] = new JsonObject
            {
                ["EnteredTime"] = JsonValues.FormatTimestamp(enteredTime),
                ["Name"] = stateName,
                ["RetryCount"] = retryCount,
            },
            ["StateMachine"] = new JsonObject
            {
                ["Id"] = execution.Options.StateMachineArn,
                ["Name"] = execution.Options.StateMachineName,
            },
        };
        if (taskToken is not null)
        {
            context["Task"] = new JsonObject { ["Token"] = taskToken };
        }
        if (item is not null)
        {
            context["Map"] = new JsonObject
            {
                ["Item"] = new JsonObject { ["Index"] = item.Index, ["Value"] = JsonValues.Clone(item.Value) },
            };
        }
        return context;
    }
}

/// <summary>The current Map item, for `$$.Map.Item.Index` and `$$.Map.Item.Value`.</summary>
internal sealed record MapItem(int Index, JsonNode? Value);
