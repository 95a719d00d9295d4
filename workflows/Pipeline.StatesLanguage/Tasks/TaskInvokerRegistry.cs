using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pipeline.StatesLanguage.Tasks;

/// <summary>
/// Maps Resource ARN patterns to task handlers. Patterns may use `*` (e.g. `arn:aws:states:::aws-sdk:personalize:*`);
/// when several match, the most specific (longest) pattern wins. The integration suffix (`.sync`, `.waitForTaskToken`)
/// is ignored when matching, so one handler serves every pattern of an action.
/// </summary>
public sealed class TaskInvokerRegistry
{
    private readonly List<(string Pattern, Regex Matcher, ITaskInvoker Invoker)> _entries = [];
    private LambdaInvokeIntegration? _lambda;

    public TaskInvokerRegistry Register(string resourcePattern, ITaskInvoker invoker)
    {
        var regex = new Regex("^" + Regex.Escape(resourcePattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
        _entries.Add((resourcePattern, regex, invoker));
        return this;
    }

    public TaskInvokerRegistry Register(string resourcePattern, Func<TaskInvocation, CancellationToken, Task<JsonNode?>> handler) =>
        Register(resourcePattern, new DelegateTaskInvoker(handler));

    public TaskInvokerRegistry Register(string resourcePattern, Func<TaskInvocation, JsonNode?> handler) =>
        Register(resourcePattern, new DelegateTaskInvoker((invocation, _) => Task.FromResult(handler(invocation))));

    /// <summary>`arn:aws:states:::aws-sdk:{service}:{action}`; action may be `*` for every action of the service.</summary>
    public TaskInvokerRegistry AddAwsSdk(string service, string action, Func<TaskInvocation, CancellationToken, Task<JsonNode?>> handler) =>
        Register($"arn:aws:states:::aws-sdk:{service}:{action}", handler);

    public TaskInvokerRegistry AddAwsSdk(string service, string action, Func<TaskInvocation, JsonNode?> handler) =>
        Register($"arn:aws:states:::aws-sdk:{service}:{action}", handler);

    /// <summary>
    /// A Lambda function for `arn:aws:states:::lambda:invoke` (matched on Parameters.FunctionName, by name or ARN) and for
    /// the legacy function-ARN resource. The handler gets the Payload; the state sees AWS's {Payload, StatusCode, ...} shape.
    /// </summary>
    public TaskInvokerRegistry AddLambdaFunction(string functionName, Func<JsonNode?, CancellationToken, Task<JsonNode?>> handler)
    {
        if (_lambda is null)
        {
            _lambda = new LambdaInvokeIntegration();
            Register("arn:aws:states:::lambda:invoke", _lambda);
            Register("arn:aws:lambda:*", _lambda);
        }
        _lambda.Add(functionName, handler);
        return this;
    }

    public TaskInvokerRegistry AddLambdaFunction(string functionName, Func<JsonNode?, JsonNode?> handler) =>
        AddLambdaFunction(functionName, (payload, _) => Task.FromResult(handler(payload)));

    /// <summary>`arn:aws:states:::sns:publish`; the state's result is {MessageId, SdkHttpMetadata, ...} unless the handler returns one.</summary>
    public TaskInvokerRegistry AddSnsPublish(Func<JsonNode?, CancellationToken, Task<JsonNode?>> handler) =>
        Register("arn:aws:states:::sns:publish", ServiceIntegrations.WithDefaultResult(handler, ServiceIntegrations.SnsPublishResult));

    /// <summary>`arn:aws:states:::dynamodb:{action}` for putItem, updateItem, getItem, deleteItem.</summary>
    public TaskInvokerRegistry AddDynamoDb(string action, Func<JsonNode?, CancellationToken, Task<JsonNode?>> handler) =>
        Register($"arn:aws:states:::dynamodb:{action}", ServiceIntegrations.WithDefaultResult(handler, ServiceIntegrations.EmptyResult));

    /// <summary>`arn:aws:states:::events:putEvents`; the state's result is {Entries: [{EventId}], FailedEntryCount: 0} unless the handler returns one.</summary>
    public TaskInvokerRegistry AddEventBridgePutEvents(Func<JsonNode?, CancellationToken, Task<JsonNode?>> handler) =>
        Register("arn:aws:states:::events:putEvents", ServiceIntegrations.WithDefaultResult(handler, ServiceIntegrations.PutEventsResult));

    public bool TryResolve(TaskResource resource, out ITaskInvoker invoker)
    {
        var withoutPattern = resource.IntegrationPattern is null ? resource.Arn : resource.Arn[..^(resource.IntegrationPattern.Length + 1)];
        var match = _entries
            .Where(entry => entry.Matcher.IsMatch(resource.Arn) || entry.Matcher.IsMatch(withoutPattern))
            .OrderByDescending(entry => entry.Pattern.Replace("*", "", StringComparison.Ordinal).Length)
            .Select(entry => entry.Invoker)
            .FirstOrDefault();
        invoker = match!;
        return match is not null;
    }

    public IReadOnlyList<string> Patterns => _entries.Select(entry => entry.Pattern).ToList();
}
