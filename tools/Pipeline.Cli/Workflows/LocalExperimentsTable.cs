using System.Text.Json.Nodes;
using Pipeline.Adapters.Local.Sqlite;
using Pipeline.Domain.Experiments;
using Pipeline.Workflows.Local;

namespace Pipeline.Cli.Workflows;

/// <summary>
/// The experiments table for the training workflow's GetItem and UpdateItem: the local stack's SQLite experiments,
/// opened on first use, or, inside `pipeline up`, the running API's own experiment store, so that a promotion goes
/// through the API's cache and serves on the next request. Recipes train in parallel and each sets its own variant's
/// campaign, so the read-modify-write of an update is serialized (DynamoDB applies each UpdateItem atomically).
/// </summary>
public sealed class LocalExperimentsTable : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _databasePath;
    private readonly IExperimentStore? _shared;
    private SqliteDatabase? _database;

    /// <summary>The experiments in the SQLite file at <paramref name="databasePath"/>, opened on first use (when it exists).</summary>
    public LocalExperimentsTable(string databasePath) => _databasePath = databasePath;

    /// <summary>The experiments of the process's own store (the running stack's).</summary>
    public LocalExperimentsTable(IExperimentStore store)
    {
        _shared = store;
        _databasePath = "the running stack's experiment store";
    }

    public async Task<JsonNode?> HandleAsync(string action, JsonNode? parameters, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return action switch
            {
                "getItem" => await GetAsync(parameters, cancellationToken),
                "updateItem" => await UpdateAsync(parameters, cancellationToken),
                _ => throw new Pipeline.StatesLanguage.Tasks.TaskFailedException("DynamoDB.ValidationException", $"the local experiments table does not support {action}"),
            };
        }
        finally
        {
            _gate.Release();
        }
    }

    private IExperimentStore? StoreOrNull()
    {
        if (_shared is not null) return _shared;
        if (!File.Exists(_databasePath)) return null;
        _database ??= new SqliteDatabase(_databasePath);
        return new SqliteExperimentStore(_database);
    }

    private async Task<JsonNode?> GetAsync(JsonNode? parameters, CancellationToken cancellationToken)
    {
        var key = ExperimentItem.KeyOf(parameters);
        return ExperimentItem.GetItemResult(StoreOrNull() is { } store ? await store.GetAsync(key, cancellationToken) : null);
    }

    private async Task<JsonNode?> UpdateAsync(JsonNode? parameters, CancellationToken cancellationToken)
    {
        var update = ExperimentVariantUpdate.Parse(parameters);
        var store = StoreOrNull() ?? throw ExperimentVariantUpdate.ConditionalCheckFailed($"no experiments database at {_databasePath} (run `pipeline up` once)");
        var experiment = await store.GetAsync(update.ExperimentKey, cancellationToken)
            ?? throw ExperimentVariantUpdate.ConditionalCheckFailed($"no experiment '{update.ExperimentKey}'");
        if (update.VariantIndex >= experiment.Variants.Count)
            throw ExperimentVariantUpdate.ConditionalCheckFailed($"experiment '{update.ExperimentKey}' has {experiment.Variants.Count} variants, no index {update.VariantIndex}");
        var variants = experiment.Variants.Select((v, i) => i == update.VariantIndex ? v with { Campaign = update.CampaignArn } : v).ToList();
        await store.UpsertAsync(experiment with { Variants = variants }, cancellationToken);
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
        _gate.Dispose();
    }
}
