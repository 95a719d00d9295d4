using System.Text.Json.Nodes;
using Pipeline.Workflows;

namespace Pipeline.Workflows.Tests;

/// <summary>
/// The training and teardown roles follow one naming rule (<see cref="PersonalizeNames"/>), checked against the names
/// the machines create for the nightly rule's dataset group: the group named like the project, its datasets, schemas,
/// import jobs, solutions and campaigns (the formats of the training ASL: {group}-{dataset}, {group}/{TYPE},
/// {group}-{dataset}-{execution}, {group}-{recipe}).
/// </summary>
[Collection(SynthCollection.Name)]
public sealed class PersonalizeNamesTests(SynthFixture synth)
{
    private static string Arn(string resource, string name) => $"arn:aws:personalize:{PolicyDocuments.Region}:{PolicyDocuments.Account}:{resource}/{name}";

    private string NightlyGroup()
    {
        var rule = synth.ServiceJson["Resources"]!.AsObject().Single(r => ((string?)r.Value!["Properties"]?["ScheduleExpression"])?.StartsWith("cron(", StringComparison.Ordinal) == true).Value!;
        return (string)JsonNode.Parse((string)rule["Properties"]!["Targets"]![0]!["Input"]!)!["dataset_group"]!;
    }

    private List<PolicyStatementAt> RoleStatements(string machine) =>
        [.. PolicyDocuments.All(synth).Where(s => s.Kind == "identity" && s.Where.StartsWith($"service/{machine}RoleDefaultPolicy", StringComparison.Ordinal))];

    private static bool Allowed(IEnumerable<PolicyStatementAt> statements, string action, string arn) => statements.Any(s => s.Grants(action, arn));

    public static TheoryData<string, string, string> TrainingCreates => new()
    {
        { "personalize:CreateDatasetGroup", "dataset-group", "{g}" },
        { "personalize:CreateSchema", "schema", "{g}-interactions" },
        { "personalize:CreateDataset", "dataset", "{g}/INTERACTIONS" },
        { "personalize:CreateDatasetImportJob", "dataset-import-job", "{g}-interactions-nightly-run" },
        { "personalize:CreateSolution", "solution", "{g}-aws-sims" },
        { "personalize:CreateSolutionVersion", "solution", "{g}-aws-sims" },
        { "personalize:CreateCampaign", "campaign", "{g}-aws-sims" },
        { "personalize:DescribeDataset", "dataset", "{g}/INTERACTIONS" },
    };

    public static TheoryData<string, string, string> TeardownDeletes => new()
    {
        { "personalize:DeleteDatasetGroup", "dataset-group", "{g}" },
        { "personalize:DeleteDataset", "dataset", "{g}/INTERACTIONS" },
        { "personalize:DeleteSolution", "solution", "{g}-aws-sims" },
        { "personalize:DeleteCampaign", "campaign", "{g}-aws-sims" },
        { "personalize:DeleteSchema", "schema", "{g}-interactions" },
    };

    [Theory]
    [MemberData(nameof(TrainingCreates))]
    public void Training_MayCreateWhatTheNightlyRunCreates(string action, string resource, string name)
    {
        var arn = Arn(resource, name.Replace("{g}", NightlyGroup(), StringComparison.Ordinal));

        Assert.True(Allowed(RoleStatements("Training"), action, arn), $"{action} on {arn}");
    }

    [Theory]
    [MemberData(nameof(TeardownDeletes))]
    public void Teardown_MayDeleteWhatTheNightlyRunCreated(string action, string resource, string name)
    {
        var arn = Arn(resource, name.Replace("{g}", NightlyGroup(), StringComparison.Ordinal));

        Assert.True(Allowed(RoleStatements("Teardown"), action, arn), $"{action} on {arn}");
    }

    [Theory]
    [InlineData("Training", "personalize:CreateDatasetGroup")]
    [InlineData("Teardown", "personalize:DeleteDatasetGroup")]
    public void NeitherMachine_ReachesAnotherProjectWhoseNameMerelyStartsAlike(string machine, string action)
    {
        Assert.False(Allowed(RoleStatements(machine), action, Arn("dataset-group", NightlyGroup() + "x")));
        Assert.True(Allowed(RoleStatements(machine), action, Arn("dataset-group", NightlyGroup() + "-staging")));
    }
}
