using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Constructs;
using Pipeline.DeploymentContract;

namespace Pipeline.Infra;

/// <summary>
/// The training workflow's online gate: the same publish as the API (PIPELINE_ROLE=online-gate), started by the Web
/// Adapter, which POSTs the invoke payload to <see cref="PassThroughPaths.OnlineGate"/>; Pipeline.Api maps that path to
/// its OnlineGateFunction (the class the local interpreter calls too). It reads and conditionally writes the
/// experiment (GetItem, PutItem) and reads the experiment's daily aggregates (Query): its role may do that and nothing
/// else; only the training machine may invoke it.
/// </summary>
public sealed class OnlineGateConstruct : Construct
{
    public Function Function { get; }

    public OnlineGateConstruct(Construct scope, string id, PipelineConfig config, DataStack data, string repoRoot) : base(scope, id)
    {
        var environment = LambdaPackaging.PassThroughRoleEnvironment(PipelineRoles.OnlineGate, PassThroughPaths.OnlineGate);
        environment[EnvironmentVariables.ExperimentsTable] = data.Experiments.TableName;
        environment[EnvironmentVariables.AggregatesTable] = data.Aggregates.TableName;
        Function = LambdaPackaging.WebAdapterFunction(this, "Function", config, repoRoot,
            "Pipeline training online gate (challenger in the experiment, promote or roll back on its results)", Duration.Seconds(30), environment);
        // Explicit actions: CDK's GrantReadWriteData would add Scan, Query, UpdateItem, DeleteItem and the batch calls.
        Function.Allow(["dynamodb:GetItem", "dynamodb:PutItem"], data.Experiments.TableArn);
        Function.Allow(["dynamodb:Query"], data.Aggregates.TableArn);
    }
}
