using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;

namespace Pipeline.Infra.Tests;

[Collection(SynthCollection.Name)] // creates CDK objects (jsii), so it runs with the other CDK tests
public sealed class PipelineConfigTests
{
    [Fact]
    public void Defaults_ApplyWithoutContext()
    {
        var config = PipelineConfig.FromContext(new App().Node);
        Assert.Equal("pipeline", config.ProjectName);
        Assert.Equal(BillingMode.PAY_PER_REQUEST, config.TableBillingMode);
        Assert.Equal("cron(0 3 * * ? *)", config.RetrainingSchedule);
        Assert.Null(config.AlertEmail);
        Assert.Equal("default", config.TrainingExperiment);
    }

    [Fact]
    public void ContextStrings_FromTheCommandLine_AreParsed()
    {
        var app = new App(new AppProps
        {
            Context = new Dictionary<string, object>
            {
                ["projectName"] = "recs",
                ["tableBillingMode"] = "provisioned",
                ["lambdaMemoryMb"] = "2048",
                ["retrainingSchedule"] = "rate(1 day)",
                ["alertEmail"] = "ops@example.com",
                ["trainingExperiment"] = "homepage",
            },
        });
        var config = PipelineConfig.FromContext(app.Node);
        Assert.Equal("recs", config.ProjectName);
        Assert.Equal(BillingMode.PROVISIONED, config.TableBillingMode);
        Assert.Equal(2048, config.LambdaMemoryMb);
        Assert.Equal("rate(1 day)", config.RetrainingSchedule);
        Assert.Equal("ops@example.com", config.AlertEmail);
        Assert.Equal("homepage", config.TrainingExperiment);
    }

    [Fact]
    public void EmptyAlertEmail_MeansNone()
    {
        var app = new App(new AppProps { Context = new Dictionary<string, object> { ["alertEmail"] = "" } });
        Assert.Null(PipelineConfig.FromContext(app.Node).AlertEmail);
    }

    [Fact]
    public void UnknownBillingMode_IsRejected()
    {
        var app = new App(new AppProps { Context = new Dictionary<string, object> { ["tableBillingMode"] = "cheap" } });
        Assert.Throws<ArgumentException>(() => PipelineConfig.FromContext(app.Node));
    }
}
