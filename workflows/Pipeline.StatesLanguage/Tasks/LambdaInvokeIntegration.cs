using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Json;

namespace Pipeline.StatesLanguage.Tasks;

/// <summary>
/// `arn:aws:states:::lambda:invoke`: finds the function by Parameters.FunctionName and wraps its answer the way the
/// optimized integration does ({ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode}). A function
/// that throws fails the task with its exception type as the error and Lambda's {errorType, errorMessage} as the cause.
/// </summary>
internal sealed class LambdaInvokeIntegration : ITaskInvoker
{
    private readonly ConcurrentDictionary<string, Func<JsonNode?, CancellationToken, Task<JsonNode?>>> _functions = new(StringComparer.Ordinal);

    public void Add(string functionName, Func<JsonNode?, CancellationToken, Task<JsonNode?>> handler) => _functions[NameOf(functionName)] = handler;

    public async Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        var legacy = invocation.Resource.Arn.StartsWith("arn:aws:lambda:", StringComparison.Ordinal);
        var functionName = legacy
            ? invocation.Resource.Arn
            : JsonValues.TryGetString(invocation.Parameters?["FunctionName"], out var name) ? name : null;
        if (functionName is null)
        {
            throw new TaskFailedException("Lambda.InvalidParameterValueException", "The lambda:invoke parameters have no FunctionName.");
        }
        if (!_functions.TryGetValue(NameOf(functionName), out var function))
        {
            throw new TaskFailedException("Lambda.ResourceNotFoundException", $"Function not found: {functionName}");
        }
        var payload = legacy ? invocation.Parameters : JsonValues.Clone(invocation.Parameters?["Payload"]);
        JsonNode? result;
        try
        {
            result = await function(payload, cancellationToken);
        }
        catch (StateFailedException)
        {
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var cause = new JsonObject { ["errorType"] = e.GetType().Name, ["errorMessage"] = e.Message };
            throw new TaskFailedException(e.GetType().Name, cause.ToJsonString());
        }
        return legacy ? result : new JsonObject
        {
            ["ExecutedVersion"] = "$LATEST",
            ["Payload"] = result,
            ["SdkHttpMetadata"] = ServiceIntegrations.HttpMetadata(),
            ["SdkResponseMetadata"] = ServiceIntegrations.ResponseMetadata(),
            ["StatusCode"] = 200,
        };
    }

    // FunctionName may be a name, a partial ARN or a full ARN (with an optional version or alias).
    private static string NameOf(string functionName)
    {
        var parts = functionName.Split(':');
        var index = Array.IndexOf(parts, "function");
        return index >= 0 && index + 1 < parts.Length ? parts[index + 1] : functionName;
    }
}
