using Amazon.S3;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Pipeline.Api.Tests.Hosting;

/// <summary>
/// Program.cs itself (WebApplicationFactory&lt;Program&gt;), given settings the way the infra gives a function its
/// environment: PIPELINE_ROLE, PIPELINE_MODE and the role's tables, queue and bucket.
/// </summary>
internal sealed class ProgramHost(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>The settings that point the AWS SDK clients of Program.cs at moto_server.</summary>
    public static Dictionary<string, string?> OnMoto(MotoServer moto) => new()
    {
        ["PIPELINE_MODE"] = "aws",
        ["AWS_ENDPOINT_URL"] = moto.Endpoint.ToString(),
        ["AWS_REGION"] = MotoServer.Region,
        ["AWS_ACCESS_KEY_ID"] = "testing",
        ["AWS_SECRET_ACCESS_KEY"] = "testing",
    };

    public static IAmazonS3 S3(MotoServer moto) => new AmazonS3Client(MotoServer.Credentials, new AmazonS3Config
    {
        ServiceURL = moto.Endpoint.ToString(), AuthenticationRegion = MotoServer.Region, ForcePathStyle = true,
    });
}
