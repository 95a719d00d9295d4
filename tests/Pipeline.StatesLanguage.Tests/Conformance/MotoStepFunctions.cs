using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Adapters.Aws.Signing;

namespace Pipeline.StatesLanguage.Tests.Conformance;

/// <summary>
/// A moto_server whose Step Functions backend executes state machines: moto 5.x does so only when its
/// <c>stepfunctions.execute_state_machine</c> setting is on, which moto_server takes as a POST to /moto-api/config
/// (moto/core/config.py, moto/stepfunctions/responses.py: <c>get_backend</c> then uses the ASL parser backend).
/// moto 5.2.1 can start only one execution per backend state: StartExecution deep-copies the state machine, which
/// reaches every earlier execution and its thread lock, and answers 500 ("cannot pickle '_thread.RLock'"). So
/// <see cref="RunAsync"/> runs one execution at a time and resets moto (POST /moto-api/reset) before each.
/// </summary>
public sealed class MotoStepFunctions : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly MotoServer _moto = new();
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private HttpClient? _http;

    public StepFunctionsClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _moto.InitializeAsync();
        await PostAsync("/moto-api/config", """{"stepfunctions": {"execute_state_machine": true}}""");
        _http = new AwsServiceEndpoint(_moto.Endpoint, MotoServer.Region, StepFunctionsClient.SigningName, MotoServer.Credentials).CreateHttpClient();
        Client = new StepFunctionsClient(_http);
    }

    /// <summary>Creates the state machine, runs one execution to its end and returns DescribeExecution and the history.</summary>
    public async Task<(JsonObject Description, IReadOnlyList<JsonObject> History)> RunAsync(string name, string definition, string input)
    {
        await _oneAtATime.WaitAsync();
        try
        {
            await PostAsync("/moto-api/reset", "");
            var stateMachineArn = await Client.CreateStateMachineAsync(name, definition);
            var executionArn = await Client.StartExecutionAsync(stateMachineArn, name, input);
            var description = await Client.WaitForCompletionAsync(executionArn, Timeout);
            return (description, await Client.GetExecutionHistoryAsync(executionArn));
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        await _moto.DisposeAsync();
        _oneAtATime.Dispose();
    }

    private async Task PostAsync(string path, string json)
    {
        using var http = new HttpClient();
        using var body = new StringContent(json, Encoding.UTF8);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri(_moto.Endpoint, path), body);
        response.EnsureSuccessStatusCode();
    }
}
