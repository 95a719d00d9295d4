using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Json;
using Pipeline.Personalize.Local.Resources;

namespace Pipeline.Personalize.Local.ControlPlane;

internal sealed class DatasetGroupOperations(PersonalizeContext context)
{
    public void Register(OperationTable operations) =>
        operations.AddResource("DatasetGroup", CreateAsync, Describe, List, DeleteAsync);

    public void Resume() => context.Resume(s => s.DatasetGroups);

    private async Task<JsonObject> CreateAsync(Request request, CancellationToken cancellationToken)
    {
        var name = request.Name();
        var roleArn = request.String("roleArn");
        var kmsKeyArn = request.String("kmsKeyArn", 2048);
        var domain = request.Enum("domain", "ECOMMERCE", "VIDEO_ON_DEMAND");
        var arn = context.Arns.DatasetGroup(name);
        var response = await Creating.StartAsync(context, s => s.DatasetGroups, arn, "datasetGroupArn", state =>
        {
            if (state.DatasetGroups.Count >= context.Options.MaxDatasetGroups)
                throw PersonalizeException.LimitExceeded($"The account already has {state.DatasetGroups.Count} dataset groups, the most allowed.");
            return new DatasetGroupResource { Name = name, DatasetGroupArn = arn, RoleArn = roleArn, KmsKeyArn = kmsKeyArn, Domain = domain };
        });
        if (domain is not null) response["domain"] = domain;
        return response;
    }

    private JsonObject Describe(Request request) =>
        Describing.Answer(context, s => s.DatasetGroups, request.Arn("datasetGroupArn"), "datasetGroup");

    private JsonObject List(Request request) =>
        Listing.Page(context, request, "datasetGroups", state => state.DatasetGroups.Values,
            "name", "datasetGroupArn", "status", "creationDateTime", "lastUpdatedDateTime", "failureReason", "domain");

    private Task<JsonObject> DeleteAsync(Request request, CancellationToken cancellationToken)
    {
        var arn = request.Arn("datasetGroupArn");
        return Deleting.StartAsync(context, s => s.DatasetGroups, arn, "dataset group", (state, _) =>
        {
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
        });
    }
}
