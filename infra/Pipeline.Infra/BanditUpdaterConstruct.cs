using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.Lambda;
using Constructs;
using Pipeline.DeploymentContract;

namespace Pipeline.Infra;

/// <summary>
/// The bandits' weight updates on AWS: an EventBridge rule invokes the API package every <see cref="BanditUpdateSchedule"/>
/// with PIPELINE_ROLE=bandit-updater; the Web Adapter POSTs the scheduled event to <see cref="PassThroughPaths.BanditUpdater"/>, where
/// Pipeline.Api runs Pipeline.Domain's BanditUpdater, the code `pipeline up`'s scheduler calls every second. A bandit's
/// own period_seconds still decides when its update is due; the rule only bounds how late it runs (a period on AWS lasts
/// at least a minute). Least privilege: Scan and a conditional PutItem on the experiments table, Query on the aggregates
/// table, nothing else; only the rule may invoke it.
/// </summary>
public sealed class BanditUpdaterConstruct : Construct
{
    /// <summary>How often the due bandit updates run (EventBridge's finest rate).</summary>
    public const string BanditUpdateSchedule = "rate(1 minute)";

    public Function Function { get; }
    public Rule Rule { get; }

    public BanditUpdaterConstruct(Construct scope, string id, PipelineConfig config, DataStack data, string repoRoot) : base(scope, id)
    {
        // A failed update fails the invoke, so it shows in the function's Errors metric (the next tick tries again).
        var environment = LambdaPackaging.PassThroughRoleEnvironment(PipelineRoles.BanditUpdater, PassThroughPaths.BanditUpdater);
        environment[EnvironmentVariables.ExperimentsTable] = data.Experiments.TableName;
        environment[EnvironmentVariables.AggregatesTable] = data.Aggregates.TableName;
        Function = LambdaPackaging.WebAdapterFunction(this, "Function", config, repoRoot,
            "Pipeline bandit updater (Thompson-sampling weights of running bandit experiments, every period)", Duration.Seconds(50), environment);
        // ListAsync scans the experiments; ReplaceAsync is a PutItem conditioned on the item read (no UpdateItem, no Delete).
        Function.Allow(["dynamodb:Scan", "dynamodb:PutItem"], data.Experiments.TableArn);
        // ListDailyAsync queries the daily rows' shards.
        Function.Allow(["dynamodb:Query"], data.Aggregates.TableArn);
        Rule = new Rule(this, "Rule", new RuleProps
        {
            Description = "Runs the due weight updates of running bandit experiments",
            Schedule = Schedule.Expression(BanditUpdateSchedule),
        });
        // The target adds the Lambda permission for events.amazonaws.com from this rule only.
        Rule.AddTarget(new LambdaFunction(Function, new LambdaFunctionProps { RetryAttempts = 0 }));
    }
}
