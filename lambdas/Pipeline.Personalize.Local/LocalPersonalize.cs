using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.ControlPlane;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Events;
using Pipeline.Personalize.Local.Json;
using Pipeline.Personalize.Local.Runtime;

namespace Pipeline.Personalize.Local;

/// <summary>
/// Amazon Personalize on the project's engine, in-process: the control plane by operation name with Personalize's
/// JSON request and response members, the runtime and the events API. <see cref="Hosting.PersonalizeApi"/> puts the
/// same object on HTTP. Work left unfinished by a previous process (training, imports) resumes on start.
/// </summary>
public sealed class LocalPersonalize : IAsyncDisposable
{
    private readonly PersonalizeContext _context;
    private readonly OperationTable _operations = new();
    private readonly RuntimeOperations _runtime;
    private readonly EventsOperations _events;

    public LocalPersonalize(LocalPersonalizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _context = new PersonalizeContext(options);
        _runtime = new RuntimeOperations(_context);
        _events = new EventsOperations(_context);
        var datasetGroups = new DatasetGroupOperations(_context);
        var datasets = new DatasetOperations(_context);
        var imports = new DatasetImportJobOperations(_context);
        var solutions = new SolutionOperations(_context);
        var versions = new SolutionVersionOperations(_context);
        var campaigns = new CampaignOperations(_context);
        var trackers = new EventTrackerOperations(_context);
        var filters = new FilterOperations(_context);
        var batch = new BatchInferenceJobOperations(_context);
        var recommenders = new RecommenderOperations(_context);
        var attributions = new MetricAttributionOperations(_context);
        datasetGroups.Register(_operations);
        new SchemaOperations(_context).Register(_operations);
        datasets.Register(_operations);
        imports.Register(_operations);
        solutions.Register(_operations);
        versions.Register(_operations);
        campaigns.Register(_operations);
        trackers.Register(_operations);
        filters.Register(_operations);
        batch.Register(_operations);
        recommenders.Register(_operations);
        attributions.Register(_operations);

        // Immediate mode would run resumed work inside the constructor; realistic mode starts it in the background.
        datasetGroups.Resume();
        datasets.Resume();
        imports.Resume();
        solutions.Resume();
        versions.Resume();
        campaigns.Resume();
        trackers.Resume();
        filters.Resume();
        batch.Resume();
        recommenders.Resume();
        attributions.Resume();
    }

    public LocalPersonalizeOptions Options => _context.Options;

    public Arns Arns => _context.Arns;

    /// <summary>The control-plane operations implemented, by Personalize name (e.g. <c>CreateSolutionVersion</c>).</summary>
    public IReadOnlyCollection<string> Operations => _operations.Names;

    /// <summary>
    /// Runs a control-plane operation, e.g. <c>InvokeAsync("DescribeCampaign", new() { ["campaignArn"] = arn })</c>.
    /// Members are Personalize's (camelCase); errors are <see cref="PersonalizeException"/> with Personalize's error type.
    /// </summary>
    public Task<JsonObject> InvokeAsync(string operation, JsonObject? request = null, CancellationToken cancellationToken = default)
    {
        var handler = _operations.Find(operation)
            ?? throw new PersonalizeException(ErrorTypes.UnknownOperation, $"The local Personalize does not implement {operation}.");
        return handler(new Request(request ?? []), cancellationToken);
    }

    public Task<JsonObject> GetRecommendationsAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        _runtime.GetRecommendationsAsync(new Request(request), cancellationToken);

    public Task<JsonObject> GetPersonalizedRankingAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        _runtime.GetPersonalizedRankingAsync(new Request(request), cancellationToken);

    public Task<JsonObject> PutEventsAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        _events.PutEventsAsync(new Request(request), cancellationToken);

    public Task<JsonObject> PutItemsAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        _events.PutItemsAsync(new Request(request), cancellationToken);

    public Task<JsonObject> PutUsersAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        _events.PutUsersAsync(new Request(request), cancellationToken);

    /// <summary>Completes when no background work (training, imports, status steps) is running.</summary>
    public Task WhenIdleAsync() => _context.Work.WhenIdleAsync();

    public ValueTask DisposeAsync() => _context.DisposeAsync();
}
