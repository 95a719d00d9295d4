using System.Text.Json.Nodes;
using Pipeline.Adapters.Local.Sqlite;
using Pipeline.Workflows.Local;

namespace Pipeline.Cli.Workflows;

/// <summary>
/// The experiments table for the training workflow's UpdateItem: the local stack's SQLite experiments, opened on
/// first use. `pipeline up` caches experiments, so it sees the change after a restart.
/// </summary>
public sealed class LocalExperimentsTable(string databasePath) : IAsyncDisposable
{
    private SqliteDatabase? _database;

    public async Task<JsonNode?> HandleAsync(string action, JsonNode? parameters, CancellationToken cancellationToken)
    {
        if (action != "updateItem") throw new StatesLanguage.Tasks.TaskFailedException("DynamoDB.ValidationException", $"the local experiments table does not support {action}");
        var update = ExperimentVariantUpdate.Parse(parameters);
        if (!File.Exists(databasePath)) throw ExperimentVariantUpdate.ConditionalCheckFailed($"no experiments database at {databasePath} (run `pipeline up` once)");
        _database ??= new SqliteDatabase(databasePath);
        var store = new SqliteExperimentStore(_database);
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
    }
}
