using Amazon.CDK;

namespace Pipeline.Infra;

/// <summary>Builds the stacks of the system into an app; shared by Program and the infra tests.</summary>
public static class PipelineApp
{
    public sealed record Stacks(DataStack Data, ServiceStack Service);

    public static Stacks Build(App app, string? repoRoot = null)
    {
        var config = PipelineConfig.FromContext(app.Node);
        var root = repoRoot ?? RepoRoot.Find();
        // Environment-agnostic stacks unless region/account are given: synth needs no account, region or lookups,
        // and deploy uses the CLI's profile.
        var env = config.Region is null && config.Account is null ? null : new Amazon.CDK.Environment { Region = config.Region, Account = config.Account };
        var data = new DataStack(app, $"{config.ProjectName}-data", config, new StackProps
        {
            Description = "Pipeline: tables and data bucket (retained on delete)",
            Env = env,
        });
        var service = new ServiceStack(app, $"{config.ProjectName}-service", config, data, root, new StackProps
        {
            Description = "Pipeline: API, events, training workflow, monitoring",
            Env = env,
        });
        Tags.Of(app).Add("project", config.ProjectName);
        return new Stacks(data, service);
    }
}

/// <summary>Finds the repository root (the folder with cdk.json) so asset paths work from any working directory.</summary>
public static class RepoRoot
{
    public static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "cdk.json")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException("cdk.json not found above the working directory or the app's directory");
    }
}
