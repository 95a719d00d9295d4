using System.CommandLine;
using Pipeline.Cli.Rehearsal;
using Pipeline.Engine.Datasets;

namespace Pipeline.Cli.Commands;

/// <summary>`pipeline rehearse aws`: the AWS deployment rehearsed on this machine (<see cref="AwsRehearsal"/>); exit 0 only when every step holds.</summary>
public static class RehearseCommand
{
    /// <summary>Small enough for the test suite, big enough for three recipes to train and differ.</summary>
    public static readonly SyntheticDataOptions Sample = new(Users: 200, Items: 150, Interactions: 3000, Seed: 7);

    public static Command Create()
    {
        var aws = new Command("aws",
            "moto_server (DynamoDB, S3, SQS, SNS, EventBridge) + the local Personalize over HTTP + the API and events consumer as their own " +
            "processes in AWS mode + the synthesized training ASL on the interpreter; prints each step with ✓/✗, exit 0 only when all hold.");
        aws.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            await output.WriteLineAsync("AWS rehearsal on this machine (moto_server, local Personalize, Program.cs in AWS mode, the synthesized training ASL)…");
            await using var rehearsal = new AwsRehearsal(output, new RehearsalOptions(Sample));
            return await rehearsal.RunAsync(cancellationToken) ? 0 : 1;
        });
        var rehearse = new Command("rehearse", "Rehearse a deployment on this machine.");
        rehearse.Subcommands.Add(aws);
        return rehearse;
    }
}
