using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Constructs;
using Pipeline.DeploymentContract;

namespace Pipeline.Infra;

/// <summary>
/// The training workflow's in-house trainer: the same publish as the API (PIPELINE_ROLE=in-house-trainer), started by
/// the Web Adapter, which POSTs the invoke payload to <see cref="PassThroughPaths.InHouseTrainer"/>. It reads the import files (the data
/// bucket's <see cref="DataBucketPrefixes.Training"/>, where Personalize reads them too) and the current manifest, and
/// writes the engine's models under <see cref="DataBucketPrefixes.Models"/>; its role may do that and nothing else.
/// </summary>
public sealed class TrainerConstruct : Construct
{
    public Function Function { get; }

    public TrainerConstruct(Construct scope, string id, PipelineConfig config, DataStack data, string repoRoot) : base(scope, id)
    {
        var environment = LambdaPackaging.WebAdapterEnvironment();
        environment[EnvironmentVariables.Mode] = PipelineModes.Aws;
        environment[EnvironmentVariables.Role] = PipelineRoles.InHouseTrainer;
        environment[EnvironmentVariables.PassThroughPath] = PassThroughPaths.InHouseTrainer;
        environment[EnvironmentVariables.DataBucket] = data.DataBucket.BucketName;
        // Training the engine's cheap recipes on an import takes seconds to minutes; Lambda's limit is 15 minutes.
        Function = LambdaPackaging.WebAdapterFunction(this, "Function", config, repoRoot,
            "Pipeline in-house trainer (the engine's fallback models from the training import)", Duration.Minutes(15), environment);
        // Objects by key only (explicit actions: CDK's GrantRead/GrantPut add List*, GetBucket* and Abort*). A run without
        // an import retrains on the file the manifest names.
        Function.Allow(["s3:GetObject"], data.DataBucket.ArnForObjects(DataBucketPrefixes.Training + "*"), data.DataBucket.ArnForObjects(DataBucketPrefixes.Models + DataBucketPrefixes.ModelsManifest));
        Function.Allow(["s3:PutObject"], data.DataBucket.ArnForObjects(DataBucketPrefixes.Models + "*"));
    }
}
