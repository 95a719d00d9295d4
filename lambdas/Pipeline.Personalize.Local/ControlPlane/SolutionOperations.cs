using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Json;
using Pipeline.Personalize.Local.Lifecycle;
using Pipeline.Personalize.Local.Resources;

namespace Pipeline.Personalize.Local.ControlPlane;

internal sealed class SolutionOperations(PersonalizeContext context)
{
    private const string RecipeArnPrefix = "arn:aws:personalize:::recipe/";

    public void Register(OperationTable operations) =>
        operations.AddResource("Solution", CreateAsync, Describe, List, DeleteAsync);

    public void Resume() => context.Resume(s => s.Solutions, arn => Delete(arn));

    private async Task<JsonObject> CreateAsync(Request request, CancellationToken cancellationToken)
    {
        var name = request.Name();
        var groupArn = request.Arn("datasetGroupArn");
        var recipeArn = request.OptionalArn("recipeArn");
        var performAutoMl = request.Bool("performAutoML") ?? false;
        var performHpo = request.Bool("performHPO") ?? false;
        // Personalize: "The default is True and the solution automatically creates new solution versions every 7 days."
        var performAutoTraining = request.Bool("performAutoTraining") ?? true;
        var performIncrementalUpdate = request.Bool("performIncrementalUpdate");
        var eventType = request.String("eventType");
        var config = request.Object("solutionConfig");
        if (config?["algorithmHyperParameters"] is { } hyperParameters) Request.StringMap(hyperParameters, "solutionConfig.algorithmHyperParameters");
        if (recipeArn is null)
            throw PersonalizeException.InvalidInput(performAutoMl
                ? "performAutoML is not supported by the local Personalize; give a recipeArn."
                : "A recipeArn is required.");
        if (!recipeArn.StartsWith(RecipeArnPrefix, StringComparison.Ordinal))
            throw PersonalizeException.InvalidInput($"{recipeArn} is not a recipe ARN ({RecipeArnPrefix}<name>).");
        var arn = context.Arns.Solution(name);
        return await Creating.StartAsync(context, s => s.Solutions, arn, "solutionArn", state =>
        {
            PersonalizeContext.RequireActive(state.DatasetGroups, groupArn, "dataset group");
            return new SolutionResource
            {
                Name = name, SolutionArn = arn, DatasetGroupArn = groupArn, RecipeArn = recipeArn, EventType = eventType,
                PerformAutoML = performAutoMl, PerformHPO = performHpo, PerformAutoTraining = performAutoTraining,
                PerformIncrementalUpdate = performIncrementalUpdate, SolutionConfig = config,
            };
        });
    }

    private JsonObject Describe(Request request)
    {
        var arn = request.Arn("solutionArn");
        return context.Store.Read(state =>
        {
            var node = PersonalizeJson.ToNode(PersonalizeContext.Get(state.Solutions, arn));
            var latest = state.SolutionVersions.Values.Where(v => v.SolutionArn == arn).MaxBy(v => v.CreationDateTime);
            if (latest is not null) node["latestSolutionVersion"] = SolutionVersionOperations.Summary(latest);
            return new JsonObject { ["solution"] = node };
        });
    }

    private JsonObject List(Request request) =>
        Listing.PageByDatasetGroup(context, request, "solutions", state => state.Solutions.Values, s => s.DatasetGroupArn,
            "name", "solutionArn", "status", "creationDateTime", "lastUpdatedDateTime", "recipeArn");

    private Task<JsonObject> DeleteAsync(Request request, CancellationToken cancellationToken)
    {
        var arn = request.Arn("solutionArn");
        return Deleting.StartAsync(context, s => s.Solutions, arn, "solution", (state, _) =>
        {
            var versions = state.SolutionVersions.Values.Where(v => v.SolutionArn == arn).Select(v => v.Arn).ToHashSet(StringComparer.Ordinal);
            if (state.Campaigns.Values.FirstOrDefault(c => versions.Contains(c.SolutionVersionArn) || (c.LatestCampaignUpdate is { } u && versions.Contains(u.SolutionVersionArn))) is { } campaign)
                throw PersonalizeException.InUse($"The solution {arn} is used by the campaign {campaign.CampaignArn}; delete the campaign first.");
            if (state.SolutionVersions.Values.Any(v => v.SolutionArn == arn && Statuses.IsCreating(v.Status)))
                throw PersonalizeException.InUse($"A version of the solution {arn} is training.");
        }, Delete);
    }

    private Task Delete(string arn)
    {
        var versions = new List<string>();
        return context.RunDeletion(s => s.Solutions, arn,
            alsoRemove: state =>
            {
                foreach (var version in state.SolutionVersions.Values.Where(v => v.SolutionArn == arn).ToList())
                {
                    versions.Add(version.Arn);
                    state.SolutionVersions.Remove(version.Arn);
                    state.SolutionMetrics.Remove(version.Arn);
                }
            },
            afterRemoval: () => versions.ForEach(context.Models.Remove));
    }
}
