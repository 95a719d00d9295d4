using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Json;
using Pipeline.Personalize.Local.Resources;

namespace Pipeline.Personalize.Local.ControlPlane;

/// <summary>
/// Metric attributions (at most one per dataset group, as in Personalize): their lifecycle, so a teardown can be
/// exercised here. The local service computes no attribution reports.
/// </summary>
internal sealed class MetricAttributionOperations(PersonalizeContext context)
{
    public void Register(OperationTable operations) =>
        operations.AddResource("MetricAttribution", CreateAsync, Describe, List, DeleteAsync);

    public void Resume() => context.Resume(s => s.MetricAttributions);

    private async Task<JsonObject> CreateAsync(Request request, CancellationToken cancellationToken)
    {
        var name = request.Name();
        var groupArn = request.Arn("datasetGroupArn");
        var metrics = request.Array("metrics", 1, 10) ?? throw Request.Invalid("metrics", "null", "Member must not be null");
        var output = request.Object("metricsOutputConfig") ?? throw Request.Invalid("metricsOutputConfig", "null", "Member must not be null");
        var arn = context.Arns.MetricAttribution(name);
        return await Creating.StartAsync(context, s => s.MetricAttributions, arn, "metricAttributionArn", state =>
        {
            PersonalizeContext.RequireActive(state.DatasetGroups, groupArn, "dataset group");
            if (state.MetricAttributions.Values.FirstOrDefault(m => m.DatasetGroupArn == groupArn) is { } existing)
                throw PersonalizeException.AlreadyExists(existing.MetricAttributionArn);
            return new MetricAttributionResource
            {
                Name = name, MetricAttributionArn = arn, DatasetGroupArn = groupArn, Metrics = (JsonArray)metrics.DeepClone(), MetricsOutputConfig = output,
            };
        });
    }

    private JsonObject Describe(Request request)
    {
        var arn = request.Arn("metricAttributionArn");
        return context.Store.Read(state =>
        {
            var node = PersonalizeJson.ToNode(PersonalizeContext.Get(state.MetricAttributions, arn));
            node.Remove("metrics"); // DescribeMetricAttribution leaves the metrics to ListMetricAttributionMetrics
            return new JsonObject { ["metricAttribution"] = node };
        });
    }

    private JsonObject List(Request request) =>
        Listing.PageByDatasetGroup(context, request, "metricAttributions", state => state.MetricAttributions.Values, m => m.DatasetGroupArn,
            "name", "metricAttributionArn", "status", "creationDateTime", "lastUpdatedDateTime", "failureReason");

    private Task<JsonObject> DeleteAsync(Request request, CancellationToken cancellationToken) =>
        Deleting.StartAsync(context, s => s.MetricAttributions, request.Arn("metricAttributionArn"), "metric attribution");
}
