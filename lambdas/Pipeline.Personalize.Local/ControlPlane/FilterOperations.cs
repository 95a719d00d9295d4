using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Json;
using Pipeline.Personalize.Local.Resources;

namespace Pipeline.Personalize.Local.ControlPlane;

/// <summary>Filters: the expression is parsed by the engine's filter parser at creation and applied by the runtime and batch jobs.</summary>
internal sealed class FilterOperations(PersonalizeContext context)
{
    public void Register(OperationTable operations) =>
        operations.AddResource("Filter", CreateAsync, Describe, List, DeleteAsync);

    public void Resume() => context.Resume(s => s.Filters);

    private async Task<JsonObject> CreateAsync(Request request, CancellationToken cancellationToken)
    {
        var name = request.Name();
        var groupArn = request.Arn("datasetGroupArn");
        var expression = request.RequiredString("filterExpression", 2500);
        Runtime.FilterContexts.Compile(expression);
        var arn = context.Arns.Filter(name);
        return await Creating.StartAsync(context, s => s.Filters, arn, "filterArn", state =>
        {
            PersonalizeContext.RequireActive(state.DatasetGroups, groupArn, "dataset group");
            return new FilterResource { Name = name, FilterArn = arn, DatasetGroupArn = groupArn, FilterExpression = expression };
        });
    }

    private JsonObject Describe(Request request) =>
        Describing.Answer(context, s => s.Filters, request.Arn("filterArn"), "filter");

    private JsonObject List(Request request) =>
        Listing.PageByDatasetGroup(context, request, "Filters", state => state.Filters.Values, f => f.DatasetGroupArn,
            "name", "filterArn", "creationDateTime", "lastUpdatedDateTime", "datasetGroupArn", "failureReason", "status");

    private Task<JsonObject> DeleteAsync(Request request, CancellationToken cancellationToken) =>
        Deleting.StartAsync(context, s => s.Filters, request.Arn("filterArn"), "filter");
}
