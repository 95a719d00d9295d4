using Amazon.CDK.AWS.StepFunctions;

namespace Pipeline.Workflows;

public sealed partial class TrainingStateMachine
{
    /// <summary>
    /// Solution <c>{dataset_group}-{recipe}</c> created if absent and polled, a version trained with training_mode and
    /// polled, its metrics read; then <paramref name="next"/>. Returns the first state (CreateSolution).
    /// </summary>
    private IChainable TrainSolution(IChainable next, IChainable failed)
    {
        var getMetrics = Guard(Personalize("GetSolutionMetrics", "getSolutionMetrics",
            new() { ["SolutionVersionArn"] = JsonPath.StringAt("$.training.solutionVersionArn") }, "solution",
            new() { ["values"] = JsonPath.StringAt("$.Metrics") }, "$.metrics"), failed);
        getMetrics.Next(next);

        var describeVersion = Guard(Personalize("DescribeSolutionVersion", "describeSolutionVersion",
            new() { ["SolutionVersionArn"] = JsonPath.StringAt("$.training.solutionVersionArn") }, "solution", StatusOf("SolutionVersion"), "$.version"), failed);
        var versionPoll = PollLoop.UntilActive(this, "SolutionVersion", "version", describeVersion, _props.TrainingPoll, getMetrics, failed,
            "Personalize.SolutionVersionFailed", "CREATE FAILED", "CREATE STOPPED");
        var createVersion = Guard(Personalize("CreateSolutionVersion", "createSolutionVersion", new()
        {
            ["SolutionArn"] = JsonPath.StringAt("$.names.solutionArn"),
            ["TrainingMode"] = JsonPath.StringAt("$.config.training_mode"),
        }, "solution", new() { ["solutionVersionArn"] = JsonPath.StringAt("$.SolutionVersionArn") }, "$.training"), failed);
        createVersion.Next(versionPoll);

        var describeSolution = Guard(Personalize("DescribeSolution", "describeSolution",
            new() { ["SolutionArn"] = JsonPath.StringAt("$.names.solutionArn") }, "solution", StatusOf("Solution"), "$.solution"), failed);
        var solutionPoll = PollLoop.UntilActive(this, "Solution", "solution", describeSolution, _props.ResourcePoll, createVersion, failed,
            "Personalize.SolutionFailed", "CREATE FAILED");
        var createSolution = Personalize("CreateSolution", "createSolution", new()
        {
            ["Name"] = JsonPath.StringAt("$.names.solutionName"),
            ["DatasetGroupArn"] = JsonPath.StringAt("$.names.datasetGroupArn"),
            ["RecipeArn"] = JsonPath.StringAt("$.names.recipeArn"),
            // Personalize's default (true) trains a new version every 7 days on top of the nightly run, at training cost,
            // and a version in training blocks the teardown; this machine is the only trainer.
            ["PerformAutoTraining"] = false,
        }, "solution,datasetGroup", null, JsonPath.DISCARD);
        // The solution of an earlier run: its name is deterministic, so it is used as it is.
        createSolution.AddCatch(solutionPoll, new CatchProps { Errors = [AlreadyExists], ResultPath = JsonPath.DISCARD });
        Guard(createSolution, failed).Next(solutionPoll);

        return createSolution;
    }
}
