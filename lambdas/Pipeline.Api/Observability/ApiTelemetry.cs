using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace Pipeline.Api.Observability;

/// <summary>Structured logs and metrics export, the parts of observability a host opts into.</summary>
public static class ApiTelemetry
{
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// One JSON object per log line, scopes included (the request id among them), UTC timestamps. Per-request
    /// Information lines of ASP.NET Core are filtered out: at thousands of requests a second they would cost more
    /// than the requests. A full queue drops lines rather than making requests wait for the console.
    /// </summary>
    public static ILoggingBuilder AddPipelineJsonConsole(this ILoggingBuilder logging)
    {
        logging.AddJsonConsole(json =>
        {
            json.IncludeScopes = true;
            json.UseUtcTimestamp = true;
            json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        logging.Services.Configure<ConsoleLoggerOptions>(console => console.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        return logging;
    }

    /// <summary>
    /// Exports the meter <see cref="ApiMetrics.MeterName"/> over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
    /// set (the exporter reads the rest of the standard OTEL_* settings itself, e.g. OTEL_METRIC_EXPORT_INTERVAL).
    /// The protocol defaults to HTTP/protobuf (the collector's port 4318, path /v1/metrics added) rather than the
    /// SDK's gRPC default; OTEL_EXPORTER_OTLP_PROTOCOL=grpc picks gRPC.
    /// </summary>
    public static IServiceCollection AddPipelineMetricsExport(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]))
        {
            return services;
        }
        var grpc = string.Equals(configuration["OTEL_EXPORTER_OTLP_PROTOCOL"], "grpc", StringComparison.OrdinalIgnoreCase);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ApiMetrics.MeterName)
            .AddOtlpExporter(otlp => otlp.Protocol = grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf));
        return services;
    }
}
