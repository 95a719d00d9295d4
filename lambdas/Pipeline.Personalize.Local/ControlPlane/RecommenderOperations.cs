using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Json;
using Pipeline.Personalize.Local.Resources;

namespace Pipeline.Personalize.Local.ControlPlane;

/// <summary>
/// Recommenders of Domain dataset groups: their lifecycle (create, describe, list, delete) as Personalize runs it, so a
/// teardown can be exercised here. They do not serve: GetRecommendations with a recommenderArn is refused by the runtime.
/// </summary>
internal sealed class RecommenderOperations(PersonalizeContext context)
{
    public void Register(OperationTable operations) =>
        operations.AddResource("Recommender", CreateAsync, Describe, List, DeleteAsync);

    public void Resume() => context.Resume(s => s.Recommenders);

    private async Task<JsonObject> CreateAsync(Request request, CancellationToken cancellationToken)
    {
        var name = request.Name();
        var groupArn = request.Arn("datasetGroupArn");
        var recipeArn = request.Arn("recipeArn");
        var config = request.Object("recommenderConfig");
        var arn = context.Arns.Recommender(name);
        return await Creating.StartAsync(context, s => s.Recommenders, arn, "recommenderArn", state =>
        {
            var group = PersonalizeContext.RequireActive(state.DatasetGroups, groupArn, "dataset group");
            if (string.IsNullOrEmpty(group.Domain))
                throw PersonalizeException.InvalidInput($"The dataset group {groupArn} has no domain: recommenders need a Domain dataset group.");
            return new RecommenderResource { Name = name, RecommenderArn = arn, DatasetGroupArn = groupArn, RecipeArn = recipeArn, RecommenderConfig = config };
        });
    }

    private JsonObject Describe(Request request) =>
        Describing.Answer(context, s => s.Recommenders, request.Arn("recommenderArn"), "recommender");

    private JsonObject List(Request request) =>
        Listing.PageByDatasetGroup(context, request, "recommenders", state => state.Recommenders.Values, r => r.DatasetGroupArn,
            "name", "recommenderArn", "datasetGroupArn", "recipeArn", "recommenderConfig", "status", "creationDateTime", "lastUpdatedDateTime");

    private Task<JsonObject> DeleteAsync(Request request, CancellationToken cancellationToken) =>
        Deleting.StartAsync(context, s => s.Recommenders, request.Arn("recommenderArn"), "recommender");
}
