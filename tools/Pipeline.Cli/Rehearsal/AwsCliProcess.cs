using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Pipeline.Cli.Rehearsal;

/// <summary>
/// The real AWS CLI (<c>aws</c> on PATH) with dummy keys and the rehearsal's region in its environment, never a
/// profile of the machine; JSON output, no pager. A non-zero exit throws with the CLI's stderr.
/// </summary>
public static class AwsCliProcess
{
    public static async Task<JsonNode?> RunAsync(Uri endpoint, CancellationToken cancellationToken, params string[] args)
    {
        var start = new ProcessStartInfo("aws")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var arg in new[] { "--endpoint-url", endpoint.ToString().TrimEnd('/'), "--output", "json" }) start.ArgumentList.Add(arg);
        start.Environment["AWS_ACCESS_KEY_ID"] = MotoAws.AccessKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = MotoAws.AccessKey;
        start.Environment["AWS_DEFAULT_REGION"] = MotoServerProcess.Region;
        start.Environment["AWS_REGION"] = MotoServerProcess.Region;
        start.Environment["AWS_PAGER"] = "";
        start.Environment.Remove("AWS_PROFILE");
        start.Environment.Remove("AWS_SESSION_TOKEN");
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("the AWS CLI (aws) did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("the AWS CLI (aws) is not on PATH", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0) throw new InvalidOperationException($"aws {string.Join(' ', args)} exited with {process.ExitCode}: {(await stderr).Trim()}");
            var output = await stdout;
            return string.IsNullOrWhiteSpace(output) ? null : JsonNode.Parse(output);
        }
    }
}
