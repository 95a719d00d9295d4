using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;

namespace Pipeline.Api.Hosting;

/// <summary>
/// The SDK clients of the AWS composition. On Lambda nothing is set here and the SDK's own chains give region and
/// credentials. AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are read from the host's
/// configuration (the environment, or a test's settings), so a process pointed at moto_server needs nothing global.
/// </summary>
public sealed class AwsClients(IConfiguration configuration)
{
    private string? Endpoint => configuration["AWS_ENDPOINT_URL"] is { Length: > 0 } url ? url : null;

    private string Region => ConfiguredRegion ?? "us-east-1";

    /// <summary>AWS_REGION from configuration, or null: the SDK's chain.</summary>
    public string? ConfiguredRegion => configuration["AWS_REGION"] is { Length: > 0 } region ? region : null;

    public IAmazonDynamoDB DynamoDb() => Endpoint is not { } url ? new AmazonDynamoDBClient()
        : Credentials() is { } credentials ? new AmazonDynamoDBClient(credentials, new AmazonDynamoDBConfig { ServiceURL = url, AuthenticationRegion = Region })
        : new AmazonDynamoDBClient(new AmazonDynamoDBConfig { ServiceURL = url, AuthenticationRegion = Region });

    public IAmazonSQS Sqs() => Endpoint is not { } url ? new AmazonSQSClient()
        : Credentials() is { } credentials ? new AmazonSQSClient(credentials, new AmazonSQSConfig { ServiceURL = url, AuthenticationRegion = Region })
        : new AmazonSQSClient(new AmazonSQSConfig { ServiceURL = url, AuthenticationRegion = Region });

    public IAmazonS3 S3() => Endpoint is not { } url ? new AmazonS3Client()
        : Credentials() is { } credentials ? new AmazonS3Client(credentials, new AmazonS3Config { ServiceURL = url, AuthenticationRegion = Region, ForcePathStyle = true })
        : new AmazonS3Client(new AmazonS3Config { ServiceURL = url, AuthenticationRegion = Region, ForcePathStyle = true });

    /// <summary>Keys from configuration, else null: the SDK's chain.</summary>
    public AWSCredentials? Credentials() =>
        configuration["AWS_ACCESS_KEY_ID"] is { Length: > 0 } key && configuration["AWS_SECRET_ACCESS_KEY"] is { Length: > 0 } secret
            ? configuration["AWS_SESSION_TOKEN"] is { Length: > 0 } token ? new SessionAWSCredentials(key, secret, token) : new BasicAWSCredentials(key, secret)
            : null;
}
