using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Json;
using Pipeline.Personalize.Local.Lifecycle;
using Pipeline.Personalize.Local.Resources;

namespace Pipeline.Personalize.Local.ControlPlane;

internal sealed class DatasetOperations(PersonalizeContext context)
{
    public void Register(OperationTable operations) =>
        operations.AddResource("Dataset", CreateAsync, Describe, List, DeleteAsync);

    public void Resume() => context.Resume(s => s.Datasets, arn => context.RunDeletion(s => s.Datasets, arn, afterRemoval: () => DeleteData(arn)));

    private async Task<JsonObject> CreateAsync(Request request, CancellationToken cancellationToken)
    {
        var name = request.Name();
        var schemaArn = request.Arn("schemaArn");
        var groupArn = request.Arn("datasetGroupArn");
        var datasetType = request.RequiredString("datasetType");
        var type = DatasetTypes.Normalize(datasetType);
        if (!DatasetTypes.RequiredFields.TryGetValue(type, out var required))
            throw PersonalizeException.InvalidInput($"Dataset type {datasetType} is not supported; use Interactions, Items or Users.");
        return await Creating.StartAsync(context, s => s.Datasets, "datasetArn", state =>
        {
            var group = PersonalizeContext.RequireActive(state.DatasetGroups, groupArn, "dataset group");
            var schema = AvroSchema.Parse(PersonalizeContext.Get(state.Schemas, schemaArn).Schema);
            var missing = required.Where(f => !schema.Has(f)).ToList();
            if (missing.Count > 0)
                throw PersonalizeException.InvalidInput($"The schema {schemaArn} lacks the field(s) a {type} dataset requires: {string.Join(", ", missing)}.");
            var arn = context.Arns.Dataset(group.Name, type);
            // One dataset of each type per group; its ARN says so.
            Creating.RefuseExisting(state.Datasets, arn);
            if (state.Datasets.Values.Any(d => d.DatasetGroupArn == groupArn && d.Name == name))
                throw PersonalizeException.AlreadyExists($"{groupArn} dataset named {name}");
            return new DatasetResource { Name = name, DatasetArn = arn, DatasetGroupArn = groupArn, DatasetType = datasetType, SchemaArn = schemaArn };
        });
    }

    private JsonObject Describe(Request request)
    {
        var arn = request.Arn("datasetArn");
        return context.Store.Read(state =>
        {
            var dataset = PersonalizeContext.Get(state.Datasets, arn);
            var node = PersonalizeJson.ToNode(dataset);
            // The group's event tracker feeds the interactions dataset; Personalize shows its trackingId there.
            if (DatasetTypes.Normalize(dataset.DatasetType) == DatasetTypes.Interactions
                && state.EventTrackers.Values.FirstOrDefault(t => t.DatasetGroupArn == dataset.DatasetGroupArn) is { } tracker)
                node["trackingId"] = tracker.TrackingId;
            return new JsonObject { ["dataset"] = node };
        });
    }

    private JsonObject List(Request request) =>
        Listing.PageByDatasetGroup(context, request, "datasets", state => state.Datasets.Values, d => d.DatasetGroupArn,
            "name", "datasetArn", "datasetType", "status", "creationDateTime", "lastUpdatedDateTime");

    private Task<JsonObject> DeleteAsync(Request request, CancellationToken cancellationToken)
    {
        var arn = request.Arn("datasetArn");
        return Deleting.StartAsync(context, s => s.Datasets, arn, "dataset", (state, dataset) =>
        {
            if (state.DatasetImportJobs.Values.Any(j => j.DatasetArn == arn && Statuses.IsCreating(j.Status)))
                throw PersonalizeException.InUse($"The dataset {arn} has an import job in progress.");
            if (state.SolutionVersions.Values.Any(v => v.DatasetGroupArn == dataset.DatasetGroupArn && Statuses.IsCreating(v.Status)))
                throw PersonalizeException.InUse($"A solution version of the dataset group {dataset.DatasetGroupArn} is training.");
        }, _ => context.RunDeletion(s => s.Datasets, arn,
            alsoRemove: state =>
            {
                foreach (var job in state.DatasetImportJobs.Values.Where(j => j.DatasetArn == arn).ToList()) state.DatasetImportJobs.Remove(job.Arn);
            },
            afterRemoval: () => DeleteData(arn)));
    }

    private void DeleteData(string datasetArn)
    {
        var file = context.Paths.DatasetFile(datasetArn);
        if (File.Exists(file)) File.Delete(file);
    }
}
