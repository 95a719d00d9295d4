using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;

namespace Pipeline.Infra;

/// <summary>A dashboard of the service and the alarms that page through the alert topic.</summary>
public sealed class MonitoringConstruct : Construct
{
    public Dashboard Dashboard { get; }
    public IReadOnlyList<Alarm> Alarms { get; }

    public MonitoringConstruct(Construct scope, string id, PipelineConfig config, ITopic alertTopic,
        ApiConstruct api, EventsConstruct events, IStateMachine training, IStateMachine teardown) : base(scope, id)
    {
        var period = Duration.Minutes(5);
        var api5xx = api.Api.MetricServerError(new MetricOptions { Period = period, Statistic = "Sum" });
        var api4xx = api.Api.MetricClientError(new MetricOptions { Period = period, Statistic = "Sum" });
        var apiCount = api.Api.MetricCount(new MetricOptions { Period = period, Statistic = "Sum" });
        var apiP99 = api.Api.MetricLatency(new MetricOptions { Period = period, Statistic = "p99" });
        var executionsFailed = training.MetricFailed(new MetricOptions { Period = period, Statistic = "Sum" });
        var executionsTimedOut = training.MetricTimedOut(new MetricOptions { Period = period, Statistic = "Sum" });
        var executionsSucceeded = training.MetricSucceeded(new MetricOptions { Period = period, Statistic = "Sum" });
        var dlqDepth = events.DeadLetterQueue.MetricApproximateNumberOfMessagesVisible(new MetricOptions { Period = period, Statistic = "Maximum" });
        var teardownFailed = teardown.MetricFailed(new MetricOptions { Period = period, Statistic = "Sum" });
        var fallbackRate = new MathExpression(new MathExpressionProps
        {
            Expression = "IF(requests > 0, 100 * fallbacks / requests, 0)",
            UsingMetrics = new Dictionary<string, IMetric> { ["requests"] = apiCount, ["fallbacks"] = api.FallbackResponses },
            // The API is one proxy resource, so API Gateway cannot count recommendation requests apart: the rate is of all requests.
            Label = "Fallback responses (% of API requests)",
            Period = period,
        });
        var queueAge = events.Queue.MetricApproximateAgeOfOldestMessage(new MetricOptions { Period = period, Statistic = "Maximum" });

        // Alarms on things that should never happen: one occurrence in a period pages.
        Alarm AnyOccurrence(string alarmId, string description, IMetric metric) => new(this, alarmId, new AlarmProps
        {
            AlarmDescription = description,
            Metric = metric,
            Threshold = 1,
            EvaluationPeriods = 1,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });

        // Alarms on a level that may pass: only every one of the periods above the threshold pages.
        Alarm AboveForPeriods(string alarmId, string description, IMetric metric, double threshold, int periods) => new(this, alarmId, new AlarmProps
        {
            AlarmDescription = description,
            Metric = metric,
            Threshold = threshold,
            EvaluationPeriods = periods,
            DatapointsToAlarm = periods,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });

        var alarms = new List<Alarm>
        {
            new(this, "Api5xx", new AlarmProps
            {
                AlarmDescription = "API Gateway returned 5xx responses",
                Metric = api5xx,
                Threshold = 5,
                EvaluationPeriods = 1,
                ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                TreatMissingData = TreatMissingData.NOT_BREACHING,
            }),
            // Three of three periods: one slow cold-start burst should not page anyone.
            AboveForPeriods("ApiLatencyP99", $"API p99 latency above {config.ApiLatencyP99ThresholdMs} ms", apiP99, config.ApiLatencyP99ThresholdMs, periods: 3),
            AnyOccurrence("TrainingExecutionsFailed", "A training execution failed", executionsFailed),
            AnyOccurrence("TeardownExecutionsFailed", "A teardown execution failed: Personalize resources may still bill", teardownFailed),
            // Two periods in a row: a model being swapped for a new campaign may fall back for a moment.
            AboveForPeriods("ApiFallbackRate", $"Fallback responses above {config.ApiFallbackRateThresholdPercent}% of API requests", fallbackRate,
                config.ApiFallbackRateThresholdPercent, periods: 2),
            AnyOccurrence("EventsDlqDepth", "Interaction events are in the dead-letter queue", dlqDepth),
        };
        var action = new SnsAction(alertTopic);
        foreach (var alarm in alarms)
        {
            alarm.AddAlarmAction(action);
        }
        Alarms = alarms;

        Dashboard = new Dashboard(this, "Dashboard", new DashboardProps
        {
            DashboardName = $"{config.ProjectName}-service",
            DefaultInterval = Duration.Hours(6),
        });
        Dashboard.AddWidgets(
            new GraphWidget(new GraphWidgetProps { Title = "API requests and errors", Left = [apiCount], Right = [api4xx, api5xx], Width = 12 }),
            new GraphWidget(new GraphWidgetProps { Title = "API latency p99 (ms)", Left = [apiP99], Width = 12 }));
        Dashboard.AddWidgets(
            new GraphWidget(new GraphWidgetProps
            {
                Title = "Lambda errors",
                Left = [api.Function.MetricErrors(new MetricOptions { Period = period }), events.Consumer.MetricErrors(new MetricOptions { Period = period })],
                Width = 8,
            }),
            new GraphWidget(new GraphWidgetProps
            {
                Title = "Lambda duration p99 (ms)",
                Left = [api.Function.MetricDuration(new MetricOptions { Period = period, Statistic = "p99" }), events.Consumer.MetricDuration(new MetricOptions { Period = period, Statistic = "p99" })],
                Width = 8,
            }),
            new GraphWidget(new GraphWidgetProps { Title = "Events queue: oldest message age (s), DLQ depth", Left = [queueAge], Right = [dlqDepth], Width = 8 }));
        Dashboard.AddWidgets(
            new GraphWidget(new GraphWidgetProps { Title = "Training executions", Left = [executionsSucceeded, executionsFailed, executionsTimedOut], Width = 12 }),
            new AlarmStatusWidget(new AlarmStatusWidgetProps { Title = "Alarms", Alarms = [.. alarms], Width = 12 }));
    }
}
