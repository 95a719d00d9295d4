using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Pipeline.Api.Http;

namespace Pipeline.Api.Security;

/// <summary>A token bucket per API key (per client address without one); refusals are 429 problem details.</summary>
public static class RateLimits
{
    public static IServiceCollection AddPerKeyRateLimits(this IServiceCollection services, ApiKeyOptions options)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var presented = context.Request.Headers[ApiKeys.Header].ToString();
                var partition = presented.Length > 0
                    ? ApiKeys.Hash(presented)
                    : context.Connection.RemoteIpAddress?.ToString() ?? "anonymous";
                return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.RequestsPerSecondPerKey,
                    TokensPerPeriod = options.RequestsPerSecondPerKey,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                var problem = Problems.Create(StatusCodes.Status429TooManyRequests, "Too many requests",
                    string.Create(CultureInfo.InvariantCulture, $"This key may make {options.RequestsPerSecondPerKey} requests a second."));
                await problem.ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }
}
