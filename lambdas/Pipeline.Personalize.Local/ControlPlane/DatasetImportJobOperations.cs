using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Json;
using Pipeline.Personalize.Local.Lifecycle;
using Pipeline.Personalize.Local.Resources;
using Pipeline.Personalize.Local.Storage;

namespace Pipeline.Personalize.Local.ControlPlane;

/// <summary>Imports CSV data from a local path or an <c>s3://</c> URL under the S3 root into a dataset.</summary>
internal sealed class DatasetImportJobOperations(PersonalizeContext context)
{
    public void Register(OperationTable operations) =>
        operations.AddResource("DatasetImportJob", CreateAsync, Describe, List);

    public void Resume() => context.ResumeCreations(s => s.DatasetImportJobs, Run);

    private async Task<JsonObject> CreateAsync(Request request, CancellationToken cancellationToken)
    {
        var name = request.Name("jobName");
        var datasetArn = request.Arn("datasetArn");
        var dataSource = request.Nested("dataSource") ?? throw Request.Invalid("dataSource", "null", "Member must not be null");
        var location = dataSource.RequiredString("dataLocation");
        var roleArn = request.String("roleArn");
        var importMode = request.Enum("importMode", "FULL", "INCREMENTAL") ?? "FULL";
        var publish = request.Bool("publishAttributionMetricsToS3");
        context.Paths.Resolve(location);
        var arn = context.Arns.DatasetImportJob(name);
        return await Creating.StartAsync(context, s => s.DatasetImportJobs, arn, "datasetImportJobArn", state =>
        {
            PersonalizeContext.RequireActive(state.Datasets, datasetArn, "dataset");
            if (state.DatasetImportJobs.Values.Any(j => j.DatasetArn == datasetArn && Statuses.IsCreating(j.Status)))
                throw PersonalizeException.InUse($"The dataset {datasetArn} already has an import job in progress.");
            // Personalize: "If you haven't imported bulk records into the dataset previously, you can only specify FULL."
            if (importMode == "INCREMENTAL" && !state.DatasetImportJobs.Values.Any(j => j.DatasetArn == datasetArn && j.Status == Statuses.Active))
                throw PersonalizeException.InvalidInput($"The dataset {datasetArn} has no bulk data yet: its first import must use importMode FULL.");
            return new DatasetImportJobResource
            {
                JobName = name, DatasetImportJobArn = arn, DatasetArn = datasetArn, DataSource = new DataSource { DataLocation = location },
                RoleArn = roleArn, ImportMode = importMode, PublishAttributionMetricsToS3 = publish,
            };
        }, Run);
    }

    private Task Run(string arn) => context.RunCreation(s => s.DatasetImportJobs, arn, cancellationToken =>
    {
        var (job, dataset, schema) = context.Store.Read(state =>
        {
            var job = PersonalizeContext.Get(state.DatasetImportJobs, arn);
            var dataset = PersonalizeContext.Get(state.Datasets, job.DatasetArn);
            return (job, dataset, AvroSchema.Parse(PersonalizeContext.Get(state.Schemas, dataset.SchemaArn).Schema));
        });
        DatasetData.Import(
            context.Paths.Resolve(job.DataSource.DataLocation!), context.Paths.DatasetFile(dataset.DatasetArn),
            DatasetTypes.Normalize(dataset.DatasetType), schema, job.ImportMode == "INCREMENTAL", cancellationToken);
        return Task.CompletedTask;
    });

    private JsonObject Describe(Request request) =>
        Describing.Answer(context, s => s.DatasetImportJobs, request.Arn("datasetImportJobArn"), "datasetImportJob");

    private JsonObject List(Request request)
    {
        var datasetArn = request.OptionalArn("datasetArn");
        return Listing.Page(context, request, "datasetImportJobs", state => state.DatasetImportJobs.Values.Where(j => datasetArn is null || j.DatasetArn == datasetArn),
            "datasetImportJobArn", "jobName", "status", "creationDateTime", "lastUpdatedDateTime", "failureReason", "importMode");
    }
}
