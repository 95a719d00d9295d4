using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Json;
using Pipeline.Personalize.Local.Lifecycle;
using Pipeline.Personalize.Local.Resources;

namespace Pipeline.Personalize.Local.ControlPlane;

internal sealed class DatasetGroupOperations(PersonalizeContext context)
{
    public void Register(OperationTable operations)
    {
        operations.Add("CreateDatasetGroup", CreateAsync);
        operations.Add("DescribeDatasetGroup", Describe);
        operations.Add("ListDatasetGroups", List);
        operations.Add("DeleteDatasetGroup", DeleteAsync);
    }

    public void Resume() => context.Resume(s => s.DatasetGroups);

    private async Task<JsonObject> CreateAsync(Request request, CancellationToken cancellationToken)
    {
        var name = request.Name();
        var roleArn = request.String("roleArn");
        var kmsKeyArn = request.String("kmsKeyArn", 2048);
        var domain = request.Enum("domain", "ECOMMERCE", "VIDEO_ON_DEMAND");
        var arn = context.Arns.DatasetGroup(name);
        context.Store.Write(state =>
        {
            if (state.DatasetGroups.ContainsKey(arn)) throw PersonalizeException.AlreadyExists(arn);
            if (state.DatasetGroups.Count >= context.Options.MaxDatasetGroups)
                throw PersonalizeException.LimitExceeded($"The account already has {state.DatasetGroups.Count} dataset groups, the most allowed.");
            var now = context.Now;
            state.DatasetGroups[arn] = new DatasetGroupResource
            {
                Name = name, DatasetGroupArn = arn, RoleArn = roleArn, KmsKeyArn = kmsKeyArn, Domain = domain,
                Status = Statuses.CreatePending, CreationDateTime = now, LastUpdatedDateTime = now,
            };
        });
        await context.RunCreation(s => s.DatasetGroups, arn);
        var response = new JsonObject { ["datasetGroupArn"] = arn };
        if (domain is not null) response["domain"] = domain;
        return response;
    }

    private JsonObject Describe(Request request) =>
        Describing.Answer(context, s => s.DatasetGroups, request.Arn("datasetGroupArn"), "datasetGroup");

    private JsonObject List(Request request) =>
        Listing.Page(context, request, "datasetGroups", state => state.DatasetGroups.Values,
            "name", "datasetGroupArn", "status", "creationDateTime", "lastUpdatedDateTime", "failureReason", "domain");

    private async Task<JsonObject> DeleteAsync(Request request, CancellationToken cancellationToken)
    {
        var arn = request.Arn("datasetGroupArn");
        context.Store.Read(state =>
        {
            PersonalizeContext.GetToDelete(state.DatasetGroups, arn, "dataset group");
            // Personalize refuses while anything still belongs to the group.
            var children = new List<string>();
            if (state.Datasets.Values.Any(d => d.DatasetGroupArn == arn)) children.Add("datasets");
            if (state.Solutions.Values.Any(s => s.DatasetGroupArn == arn)) children.Add("solutions");
            if (state.EventTrackers.Values.Any(t => t.DatasetGroupArn == arn)) children.Add("event trackers");
            if (state.Filters.Values.Any(f => f.DatasetGroupArn == arn)) children.Add("filters");
            if (state.Recommenders.Values.Any(r => r.DatasetGroupArn == arn)) children.Add("recommenders");
            if (state.MetricAttributions.Values.Any(m => m.DatasetGroupArn == arn)) children.Add("metric attributions");
            if (children.Count > 0)
                throw PersonalizeException.InUse($"The dataset group {arn} still has {string.Join(", ", children)}; delete them first.");
            return true;
        });
        await context.RunDeletion(s => s.DatasetGroups, arn);
        return [];
    }
}
