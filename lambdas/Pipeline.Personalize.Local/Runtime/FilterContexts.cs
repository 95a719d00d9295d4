using System.Collections.Concurrent;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Filters;
using Pipeline.Personalize.Local.ControlPlane;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Storage;

namespace Pipeline.Personalize.Local.Runtime;

/// <summary>
/// What filters evaluate against, per dataset group: its items, users and interaction histories as imported (events
/// from PutEvents included, since they are appended to the interactions data). Rebuilt when a data file changes.
/// </summary>
public sealed class FilterContexts(PersonalizeContext context)
{
    private readonly ConcurrentDictionary<string, (string Stamp, FilterContext Value)> _byGroup = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CompiledFilter> _compiled = new(StringComparer.Ordinal);

    public static CompiledFilter Compile(string expression)
    {
        try
        {
            return CompiledFilter.Compile(expression);
        }
        catch (FilterExpressionException e)
        {
            throw PersonalizeException.InvalidInput(e.Message);
        }
    }

    public CompiledFilter Filter(string expression) => _compiled.GetOrAdd(expression, Compile);

    public FilterContext For(string datasetGroupArn)
    {
        var files = context.Store.Read(state => state.Datasets.Values
            .Where(d => d.DatasetGroupArn == datasetGroupArn)
            .ToDictionary(d => DatasetTypes.Normalize(d.DatasetType), d => context.Paths.DatasetFile(d.DatasetArn), StringComparer.Ordinal));
        var stamp = string.Join('|', files.OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => File.Exists(f.Value) ? $"{f.Key}:{File.GetLastWriteTimeUtc(f.Value).Ticks}:{new FileInfo(f.Value).Length}" : f.Key));
        if (_byGroup.TryGetValue(datasetGroupArn, out var cached) && cached.Stamp == stamp) return cached.Value;

        string? Existing(string type) => files.TryGetValue(type, out var path) && File.Exists(path) ? path : null;
        var items = Existing(DatasetTypes.Items) is { } itemsFile ? DatasetData.Read(itemsFile, ItemsCsv.Read) : null;
        var users = Existing(DatasetTypes.Users) is { } usersFile ? DatasetData.Read(usersFile, UsersCsv.Read) : null;
        var history = Existing(DatasetTypes.Interactions) is { } interactionsFile
            ? InteractionHistory.FromDataset(DatasetData.Read(interactionsFile, path => InteractionsCsv.Read(path)))
            : null;
        var built = new FilterContext(items, history, users);
        _byGroup[datasetGroupArn] = (stamp, built);
        return built;
    }
}
