using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Constructs;
using Pipeline.DeploymentContract;

namespace Pipeline.Infra;

/// <summary>
/// The training workflow's metric gate: the same publish as the API (one package), started by the Web Adapter, which
/// POSTs the invoke payload to <see cref="PassThroughPaths.MetricGate"/>; Pipeline.Api maps that path to its
/// MetricGateFunction (the class the local interpreter calls too). It reads nothing and writes nothing, so its role has
/// only the logging and tracing CDK gives every function; only the training machine may invoke it.
/// </summary>
public sealed class MetricGateConstruct : Construct
{
    public Function Function { get; }

    public MetricGateConstruct(Construct scope, string id, PipelineConfig config, string repoRoot) : base(scope, id)
    {
        var environment = LambdaPackaging.WebAdapterEnvironment();
        // Program.cs runs only the gate's routes for this role: no store, no model, no table.
        environment[EnvironmentVariables.PassThroughPath] = PassThroughPaths.MetricGate;
        environment[EnvironmentVariables.Role] = PipelineRoles.MetricGate;
        // A crash fails the invoke (a Lambda error the training machine's Catch handles) instead of a null payload that
        // breaks the task's ResultSelector with an error no Catch sees.
        environment[EnvironmentVariables.ErrorStatusCodes] = WebAdapter.FailingStatusCodes;
        Function = LambdaPackaging.WebAdapterFunction(this, "Function", config, repoRoot,
            "Pipeline training metric gate (promote when candidate >= served + min_improvement)", Duration.Seconds(30), environment);
    }
}
