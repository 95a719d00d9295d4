using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Json;
using Pipeline.Personalize.Local.Lifecycle;
using Pipeline.Personalize.Local.Resources;

namespace Pipeline.Personalize.Local.ControlPlane;

/// <summary>Filters: the expression is parsed by the engine's filter parser at creation and applied by the runtime and batch jobs.</summary>
internal sealed class FilterOperations(PersonalizeContext context)
{
    public void Register(OperationTable operations)
    {
        operations.Add("CreateFilter", CreateAsync);
        operations.Add("DescribeFilter", Describe);
        operations.Add("ListFilters", List);
        operations.Add("DeleteFilter", DeleteAsync);
    }

    public void Resume() => context.Resume(s => s.Filters);

    private async Task<JsonObject> CreateAsync(Request request, CancellationToken cancellationToken)
    {
        var name = request.Name();
        var groupArn = request.Arn("datasetGroupArn");
        var expression = request.RequiredString("filterExpression", 2500);
        Runtime.FilterContexts.Compile(expression);
        var arn = context.Arns.Filter(name);
        context.Store.Write(state =>
        {
            if (state.Filters.ContainsKey(arn)) throw PersonalizeException.AlreadyExists(arn);
            PersonalizeContext.RequireActive(state.DatasetGroups, groupArn, "dataset group");
            var now = context.Now;
            state.Filters[arn] = new FilterResource
            {
                Name = name, FilterArn = arn, DatasetGroupArn = groupArn, FilterExpression = expression,
                Status = Statuses.CreatePending, CreationDateTime = now, LastUpdatedDateTime = now,
            };
        });
        await context.RunCreation(s => s.Filters, arn);
        return new JsonObject { ["filterArn"] = arn };
    }

    private JsonObject Describe(Request request) =>
        Describing.Answer(context, s => s.Filters, request.Arn("filterArn"), "filter");

    private JsonObject List(Request request)
    {
        var groupArn = request.OptionalArn("datasetGroupArn");
        return Listing.Page(context, request, "Filters", state => state.Filters.Values.Where(f => groupArn is null || f.DatasetGroupArn == groupArn),
            "name", "filterArn", "creationDateTime", "lastUpdatedDateTime", "datasetGroupArn", "failureReason", "status");
    }

    private async Task<JsonObject> DeleteAsync(Request request, CancellationToken cancellationToken)
    {
        var arn = request.Arn("filterArn");
        await context.Delete(s => s.Filters, arn, "filter");
        return [];
    }
}
