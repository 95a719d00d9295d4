using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Json;
using Pipeline.Personalize.Local.Resources;
using Pipeline.Personalize.Local.Runtime;

namespace Pipeline.Personalize.Local.ControlPlane;

/// <summary>Batch inference: JSON Lines from the (local) S3 input path, answers to the output path, as Personalize writes them.</summary>
internal sealed class BatchInferenceJobOperations(PersonalizeContext context)
{
    public void Register(OperationTable operations) =>
        operations.AddResource("BatchInferenceJob", CreateAsync, Describe, List);

    public void Resume() => context.ResumeCreations(s => s.BatchInferenceJobs, Run);

    private async Task<JsonObject> CreateAsync(Request request, CancellationToken cancellationToken)
    {
        var name = request.Name("jobName");
        var versionArn = request.Arn("solutionVersionArn");
        var filterArn = request.OptionalArn("filterArn");
        var numResults = request.Int("numResults", 1, 500) ?? 25;
        var input = request.Nested("jobInput") ?? throw Request.Invalid("jobInput", "null", "Member must not be null");
        var output = request.Nested("jobOutput") ?? throw Request.Invalid("jobOutput", "null", "Member must not be null");
        var inputPath = (input.Nested("s3DataSource") ?? throw Request.Invalid("jobInput.s3DataSource", "null", "Member must not be null")).RequiredString("path");
        var outputPath = (output.Nested("s3DataDestination") ?? throw Request.Invalid("jobOutput.s3DataDestination", "null", "Member must not be null")).RequiredString("path");
        var roleArn = request.RequiredString("roleArn");
        var config = request.Object("batchInferenceJobConfig");
        var mode = request.Enum("batchInferenceJobMode", "BATCH_INFERENCE", "THEME_GENERATION") ?? "BATCH_INFERENCE";
        if (mode != "BATCH_INFERENCE") throw PersonalizeException.InvalidInput("Only BATCH_INFERENCE jobs are supported by the local Personalize.");
        context.Paths.Resolve(inputPath);
        context.Paths.Resolve(outputPath);
        var arn = context.Arns.BatchInferenceJob(name);
        return await Creating.StartAsync(context, s => s.BatchInferenceJobs, arn, "batchInferenceJobArn", state =>
        {
            PersonalizeContext.RequireActive(state.SolutionVersions, versionArn, "solution version");
            if (filterArn is not null) PersonalizeContext.RequireActive(state.Filters, filterArn, "filter");
            return new BatchInferenceJobResource
            {
                JobName = name, BatchInferenceJobArn = arn, SolutionVersionArn = versionArn, FilterArn = filterArn, NumResults = numResults,
                JobInput = input.Body, JobOutput = output.Body, RoleArn = roleArn, BatchInferenceJobConfig = config, BatchInferenceJobMode = mode,
            };
        }, Run);
    }

    private Task Run(string arn) => context.RunCreation(s => s.BatchInferenceJobs, arn, async cancellationToken =>
    {
        var (job, groupArn, expression) = context.Store.Read(s =>
        {
            var job = s.BatchInferenceJobs[arn];
            return (job, s.SolutionVersions[job.SolutionVersionArn].DatasetGroupArn, job.FilterArn is null ? null : s.Filters.GetValueOrDefault(job.FilterArn)?.FilterExpression);
        });
        var model = CampaignServing.ModelFor(context.Models, job.SolutionVersionArn, job.BatchInferenceJobConfig);
        var filter = expression is null ? null : new CampaignServing.AppliedFilter(context.Filters.Filter(expression), null, context.Filters.For(groupArn));
        var input = context.Paths.Resolve(job.JobInput["s3DataSource"]!["path"]!.GetValue<string>());
        var output = context.Paths.Resolve(job.JobOutput["s3DataDestination"]!["path"]!.GetValue<string>());
        await BatchInference.RunAsync(model, filter, input, output, job.NumResults, cancellationToken);
    });

    private JsonObject Describe(Request request) =>
        Describing.Answer(context, s => s.BatchInferenceJobs, request.Arn("batchInferenceJobArn"), "batchInferenceJob");

    private JsonObject List(Request request)
    {
        var versionArn = request.OptionalArn("solutionVersionArn");
        return Listing.Page(context, request, "batchInferenceJobs", state => state.BatchInferenceJobs.Values.Where(j => versionArn is null || j.SolutionVersionArn == versionArn),
            "batchInferenceJobArn", "jobName", "status", "creationDateTime", "lastUpdatedDateTime", "failureReason", "solutionVersionArn", "batchInferenceJobMode");
    }
}
