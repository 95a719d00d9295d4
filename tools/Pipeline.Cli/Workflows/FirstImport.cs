using System.Diagnostics;
using System.Text.Json.Nodes;
using Pipeline.Cli.LocalStack;
using Pipeline.Engine.Datasets;
using Pipeline.Personalize.Local;
using Pipeline.Personalize.Local.Errors;
using Pipeline.StatesLanguage.Interpreter;
using Pipeline.Workflows.Definitions;
using Pipeline.Workflows.Local;

namespace Pipeline.Cli.Workflows;

/// <summary>
/// The nightly rule retrains on what its dataset group holds (its input has no <c>import</c>, as on AWS, where PutEvents
/// keeps filling it). A fresh data folder's local Personalize holds nothing, so until the group's interactions dataset
/// has an ACTIVE import, <c>pipeline up</c> runs the training workflow once with the rule's own input plus <c>import</c> of
/// the sample it wrote (<c>s3://sample/…</c>): the same workflow, the same dataset group, the same experiment.
/// </summary>
public sealed class FirstImport(TrainingScheduleDefinition rule, LocalWorkflowRunner runner, LocalPersonalize personalize, LocalPersonalizeOptions options)
{
    public string DatasetGroup => rule.Input["dataset_group"]?.GetValue<string>()
        ?? throw new InvalidOperationException("the nightly rule's input has no dataset_group");

    /// <summary>The nightly input with <c>import</c> of the sample's interactions, items and users.</summary>
    public JsonObject Input()
    {
        var input = rule.Input.DeepClone().AsObject();
        var import = new JsonObject { ["interactions"] = $"s3://{LocalStackOptions.SampleFolder}/{DatasetFiles.Interactions}" };
        // A user's dataset (`pipeline up --dataset`) may lack items or users; the generated sample has both.
        foreach (var (name, file) in new[] { ("items", DatasetFiles.Items), ("users", DatasetFiles.Users) })
            if (File.Exists(Path.Combine(options.ResolvedS3Root, LocalStackOptions.SampleFolder, file)))
                import[name] = $"s3://{LocalStackOptions.SampleFolder}/{file}";
        input["import"] = import;
        return input;
    }

    /// <summary>True until the group's interactions dataset has an import that ended ACTIVE (an interrupted first run counts as none).</summary>
    public async Task<bool> IsNeededAsync(CancellationToken cancellationToken)
    {
        var datasetArn = $"arn:aws:personalize:{options.Region}:{options.AccountId}:dataset/{DatasetGroup}/INTERACTIONS";
        try
        {
            var jobs = await personalize.InvokeAsync("ListDatasetImportJobs", new JsonObject { ["datasetArn"] = datasetArn }, cancellationToken);
            return !(jobs["datasetImportJobs"]?.AsArray() ?? []).Any(j => j?["status"]?.GetValue<string>() == "ACTIVE");
        }
        catch (PersonalizeException)
        {
            return true;
        }
    }

    /// <summary>Runs the workflow when <see cref="IsNeededAsync"/>; prints its outcome. Null when nothing had to run.</summary>
    public async Task<Execution?> RunIfNeededAsync(TextWriter output, CancellationToken cancellationToken)
    {
        if (!await IsNeededAsync(cancellationToken)) return null;
        await output.WriteLineAsync($"Personalize (local): first import of the sample into dataset group '{DatasetGroup}' (training workflow, the nightly rule's input with import)…");
        var watch = Stopwatch.StartNew();
        var execution = await runner.RunAsync(LocalWorkflows.Training, Input(), cancellationToken);
        var outcome = execution.Status == ExecutionStatus.Succeeded
            ? "SUCCEEDED"
            : $"{LocalExecutionStore.StatusName(execution.Status)}: {execution.Error} {execution.Cause}";
        await output.WriteLineAsync($"Personalize (local): first import execution {execution.Name} {outcome} in {watch.Elapsed.TotalSeconds:0.0} s");
        return execution;
    }
}
