using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tests.Moto;

/// <summary>
/// The real AWS CLI pointed at moto_server: dummy credentials and region in its environment (never a profile of
/// the machine), JSON output, no pager. A non-zero exit fails with the CLI's stderr.
/// </summary>
public sealed class AwsCli(Uri endpoint, string region)
{
    public async Task<JsonNode?> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("aws")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.ArgumentList.Add("--endpoint-url");
        start.ArgumentList.Add(endpoint.ToString().TrimEnd('/'));
        start.ArgumentList.Add("--output");
        start.ArgumentList.Add("json");
        start.Environment["AWS_ACCESS_KEY_ID"] = "testing";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "testing";
        start.Environment["AWS_DEFAULT_REGION"] = region;
        start.Environment["AWS_REGION"] = region;
        start.Environment["AWS_PAGER"] = "";
        start.Environment.Remove("AWS_PROFILE");
        start.Environment.Remove("AWS_SESSION_TOKEN");

        using var process = Process.Start(start) ?? throw new InvalidOperationException("the AWS CLI (aws) did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"aws {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}");
        }
        return string.IsNullOrWhiteSpace(output) ? null : JsonNode.Parse(output);
    }
}
