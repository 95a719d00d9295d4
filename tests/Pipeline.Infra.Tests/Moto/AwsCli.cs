using System.Text.Json.Nodes;
using Pipeline.Cli.Rehearsal;

namespace Pipeline.Infra.Tests.Moto;

/// <summary>
/// The real AWS CLI pointed at moto_server, as `pipeline rehearse aws` runs it (<see cref="AwsCliProcess"/>): dummy
/// credentials and region in its environment (never a profile of the machine), JSON output, no pager. A non-zero exit
/// fails with the CLI's stderr.
/// </summary>
public sealed class AwsCli(Uri endpoint)
{
    public async Task<JsonNode?> RunAsync(params string[] args)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await AwsCliProcess.RunAsync(endpoint, timeout.Token, args);
    }
}
