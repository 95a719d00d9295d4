using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Pipeline.Testing;

/// <summary>
/// The real AWS CLI (<c>aws</c> on PATH) pointed at a local endpoint (the local Personalize, moto_server): dummy
/// credentials and region in its environment (never a profile, config or retries of the machine running the tests),
/// JSON output, no pager.
/// </summary>
public sealed class AwsCli(Uri endpoint, string accessKey = "local")
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public JsonObject Json => JsonNode.Parse(Output)!.AsObject();
    }

    /// <summary>Runs <c>aws &lt;args&gt; --endpoint-url … --output json</c> and fails the test on a non-zero exit.</summary>
    public async Task<JsonObject> Json(params string[] args)
    {
        var result = await Run(args);
        Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', args)} exited {result.ExitCode}: {result.Error}");
        return result.Output.Trim().Length == 0 ? [] : result.Json;
    }

    /// <summary>The parsed output (null when there is none); a non-zero exit throws with the CLI's stderr.</summary>
    public async Task<JsonNode?> RunAsync(params string[] args)
    {
        var result = await Run(args);
        if (result.ExitCode != 0) throw new InvalidOperationException($"aws {string.Join(' ', args)} exited with {result.ExitCode}: {result.Error.Trim()}");
        return string.IsNullOrWhiteSpace(result.Output) ? null : JsonNode.Parse(result.Output);
    }

    public async Task<Result> Run(params string[] args)
    {
        var start = new ProcessStartInfo("aws")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var arg in new[] { "--endpoint-url", endpoint.ToString().TrimEnd('/'), "--output", "json" }) start.ArgumentList.Add(arg);
        start.Environment["AWS_ACCESS_KEY_ID"] = accessKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = accessKey;
        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        start.Environment["AWS_REGION"] = "us-east-1";
        // No profile, config or retries from the machine running the tests.
        start.Environment.Remove("AWS_PROFILE");
        start.Environment.Remove("AWS_SESSION_TOKEN");
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_MAX_ATTEMPTS"] = "1";
        start.Environment["AWS_PAGER"] = "";
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
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            await process.WaitForExitAsync(timeout.Token);
            return new Result(process.ExitCode, await output, await error);
        }
    }

    /// <summary>Describes until the status is terminal, as a client of the real service would poll.</summary>
    public async Task<string> WaitForStatus(string service, string describe, string arnOption, string arn, string member, string path = "status")
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var resource = (await Json(service, describe, arnOption, arn))[member]!;
            var status = path.Split('.').Aggregate((JsonNode?)resource, (node, part) => node?[part])?.GetValue<string>();
            if (status is "ACTIVE" or "CREATE FAILED" || DateTime.UtcNow > deadline) return status ?? "";
            await Task.Delay(200);
        }
    }
}
