using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Intrinsics;
using Pipeline.StatesLanguage.Json;

namespace Pipeline.StatesLanguage.Interpreter;

/// <summary>
/// Input and output processing in AWS's order: InputPath, Parameters, (the task), ResultSelector, ResultPath, OutputPath.
/// Each step returns a fresh copy, so no JSON node is shared between states.
/// </summary>
internal static class DataFlow
{
    /// <summary>InputPath and OutputPath: null yields {}, a path that matches nothing fails with States.Runtime.</summary>
    public static JsonNode? SelectPath(string? path, JsonNode? data, JsonNode context, string field)
    {
        if (path is null)
        {
            return new JsonObject();
        }
        if (path == "$")
        {
            return JsonValues.Clone(data);
        }
        if (JsonPath.Parse(path).TrySelect(data, context, out var selected))
        {
            return selected;
        }
        throw new StateFailedException(StatesErrors.Runtime, $"Invalid path '{path}' for {field}: no results for the path in the input '{JsonValues.ToJson(data)}'.");
    }

    /// <summary>ResultPath: "$" replaces the input with the result, null keeps the input, a path writes the result into a copy of the input.</summary>
    public static JsonNode? ApplyResultPath(string? path, JsonNode? rawInput, JsonNode? result)
    {
        if (path is null)
        {
            return JsonValues.Clone(rawInput);
        }
        if (path == "$")
        {
            return JsonValues.Clone(result);
        }
        try
        {
            return JsonPath.Parse(path).Write(JsonValues.Clone(rawInput) ?? new JsonObject(), JsonValues.Clone(result));
        }
        catch (InvalidOperationException e)
        {
            throw new StateFailedException(StatesErrors.ResultPathMatchFailure, $"Unable to apply ResultPath '{path}' to the input '{JsonValues.ToJson(rawInput)}': {e.Message}");
        }
    }

    /// <summary>A payload template: keys ending in `.$` take a path's value or an intrinsic function's result, with `.$` dropped.</summary>
    public static JsonNode? EvaluateTemplate(JsonNode? template, JsonNode? input, JsonNode context, Random random) => template switch
    {
        JsonObject obj => EvaluateObject(obj, input, context, random),
        JsonArray array => new JsonArray(array.Select(item => EvaluateTemplate(item, input, context, random)).ToArray()),
        _ => JsonValues.Clone(template),
    };

    /// <summary>A `.$` value or an ErrorPath/CausePath: an intrinsic function call or a path.</summary>
    public static JsonNode? EvaluateExpression(string expression, JsonNode? input, JsonNode context, Random random, string field)
    {
        if (IntrinsicParser.LooksLikeCall(expression))
        {
            return IntrinsicFunctions.Evaluate(expression, input, context, random);
        }
        var path = JsonPath.Parse(expression);
        if (path.TrySelect(input, context, out var value))
        {
            return value;
        }
        throw new StateFailedException(StatesErrors.Runtime,
            $"The JSONPath '{expression}' specified for the field '{field}' could not be found in the input '{JsonValues.ToJson(path.IsContextPath ? context : input)}'");
    }

    private static JsonObject EvaluateObject(JsonObject template, JsonNode? input, JsonNode context, Random random)
    {
        var result = new JsonObject();
        foreach (var (key, value) in template)
        {
            if (key.EndsWith(".$", StringComparison.Ordinal) && JsonValues.TryGetString(value, out var expression))
            {
                result[key[..^2]] = EvaluateExpression(expression, input, context, random, key);
            }
            else
            {
                result[key] = EvaluateTemplate(value, input, context, random);
            }
        }
        return result;
    }
}
