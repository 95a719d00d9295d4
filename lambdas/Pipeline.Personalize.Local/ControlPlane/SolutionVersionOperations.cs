using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Json;
using Pipeline.Personalize.Local.Lifecycle;
using Pipeline.Personalize.Local.Resources;
using Pipeline.Personalize.Local.Training;

namespace Pipeline.Personalize.Local.ControlPlane;

/// <summary>Solution versions: each one trains the solution's recipe on the engine in the background.</summary>
internal sealed class SolutionVersionOperations(PersonalizeContext context)
{
    private readonly SolutionTrainer _trainer = new(context);

    public void Register(OperationTable operations)
    {
        operations.AddResource("SolutionVersion", CreateAsync, Describe, List);
        operations.Add("GetSolutionMetrics", GetMetrics);
    }

    public void Resume() => context.ResumeCreations(s => s.SolutionVersions, Train);

    public static JsonObject Summary(SolutionVersionResource version) =>
        PersonalizeJson.Summary(PersonalizeJson.ToNode(version), "solutionVersionArn", "status", "trainingMode", "trainingType", "creationDateTime", "lastUpdatedDateTime", "failureReason");

    private async Task<JsonObject> CreateAsync(Request request, CancellationToken cancellationToken)
    {
        var name = request.OptionalName("name");
        var solutionArn = request.Arn("solutionArn");
        var trainingMode = request.Enum("trainingMode", "FULL", "UPDATE", "AUTOTRAIN") ?? "FULL";
        return await Creating.StartAsync(context, s => s.SolutionVersions, "solutionVersionArn", state =>
        {
            var solution = PersonalizeContext.RequireActive(state.Solutions, solutionArn, "solution");
            if (state.SolutionVersions.Values.Any(v => v.SolutionArn == solutionArn && Statuses.IsCreating(v.Status)))
                throw PersonalizeException.InUse($"The solution {solutionArn} already has a version training; wait for it to finish.");
            if (name is not null && state.SolutionVersions.Values.Any(v => v.SolutionArn == solutionArn && v.Name == name))
                throw PersonalizeException.AlreadyExists($"{solutionArn} version named {name}");
            return new SolutionVersionResource
            {
                Name = name, SolutionVersionArn = context.Arns.SolutionVersion(solution.Name), SolutionArn = solutionArn, DatasetGroupArn = solution.DatasetGroupArn,
                RecipeArn = solution.RecipeArn, EventType = solution.EventType, PerformHPO = solution.PerformHPO, PerformAutoML = solution.PerformAutoML,
                PerformIncrementalUpdate = solution.PerformIncrementalUpdate, SolutionConfig = (JsonObject?)solution.SolutionConfig?.DeepClone(),
                TrainingMode = trainingMode,
            };
        }, Train);
    }

    private Task Train(string arn) => context.RunCreation(s => s.SolutionVersions, arn, cancellationToken => _trainer.TrainAsync(arn, cancellationToken));

    private JsonObject Describe(Request request) =>
        Describing.Answer(context, s => s.SolutionVersions, request.Arn("solutionVersionArn"), "solutionVersion");

    private JsonObject List(Request request)
    {
        var solutionArn = request.OptionalArn("solutionArn");
        return Listing.Page(context.Store.Read(state =>
        {
            if (solutionArn is not null) PersonalizeContext.Get(state.Solutions, solutionArn);
            return state.SolutionVersions.Values
                .Where(v => solutionArn is null || v.SolutionArn == solutionArn)
                .OrderBy(v => v.CreationDateTime)
                .Select(Summary)
                .ToList();
        }), request, "solutionVersions");
    }

    private JsonObject GetMetrics(Request request)
    {
        var arn = request.Arn("solutionVersionArn");
        return context.Store.Read(state =>
        {
            var version = PersonalizeContext.Get(state.SolutionVersions, arn);
            if (version.Status != Statuses.Active || !state.SolutionMetrics.TryGetValue(arn, out var metrics))
                throw PersonalizeException.InUse($"The solution version {arn} is {version.Status}; metrics exist once it is ACTIVE.");
            return new JsonObject
            {
                ["solutionVersionArn"] = arn,
                ["metrics"] = new JsonObject(metrics.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
            };
        });
    }
}
