using Amazon.CDK;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.StepFunctions;
using Amazon.CDK.AWS.StepFunctions.Tasks;
using Constructs;

namespace Pipeline.Workflows;

public sealed class TeardownStateMachineProps
{
    /// <summary>The project name: IAM is scoped to the names <see cref="PersonalizeNames"/> derives from it.</summary>
    public required string ResourceNamePrefix { get; init; }

    /// <summary>Where a failed run is reported.</summary>
    public required ITopic AlertTopic { get; init; }

    /// <summary>Seconds between Describe* polls while a deletion runs (campaigns take minutes to go).</summary>
    public int PollSeconds { get; init; } = 30;

    /// <summary>Polls per resource before the run gives up (default 120 x 30 s = 1 h).</summary>
    public int MaxPollAttempts { get; init; } = 120;
}

/// <summary>
/// Deletes an Amazon Personalize dataset group and everything in it, in the order Personalize requires (a resource
/// cannot be deleted while something still uses it): campaigns → solutions (with their versions) → recommenders →
/// event trackers → filters → metric attributions → datasets → the dataset group. Each deletion is polled with Describe* until Personalize answers
/// ResourceNotFoundException, because deletes are asynchronous and the next step would otherwise get
/// ResourceInUseException. Input: <c>{"dataset_group": "arn:aws:personalize:…:dataset-group/NAME"}</c>.
/// A failure publishes {stateMachine, execution, datasetGroup, failedState, error: {State, Error, Cause}} to the
/// alert topic and ends the execution FAILED. Batch jobs are not deleted (they end by themselves and do not block).
/// </summary>
public sealed class TeardownStateMachine : Construct
{
    // List* pages hold at most 100 entries; every stage lists again after deleting what it saw, until nothing is left.
    private const int PageSize = 100;

    private readonly TeardownStateMachineProps _props;
    // Map and Task states both take a Catch but share no public type that declares it.
    private readonly List<(Action<IChainable, ICatchProps> AddCatch, string Name)> _caughtTasks = [];
    private readonly List<TaskStateBase> _retriedTasks = [];
    private readonly IChainable _notifyAndFail;

    public StateMachine StateMachine { get; }

    public TeardownStateMachine(Construct scope, string id, TeardownStateMachineProps props) : base(scope, id)
    {
        _props = props;
        var stack = Stack.Of(this);
        string Arn(string resource, string name) =>
            stack.FormatArn(new ArnComponents { Service = "personalize", Resource = resource, ResourceName = name });
        // The naming rule the training machine's IAM follows too (the nightly group is named exactly like the project).
        var project = props.ResourceNamePrefix;
        var groupArns = PersonalizeNames.Arns(stack, "dataset-group", PersonalizeNames.Groups(project));
        var campaignArns = PersonalizeNames.Arns(stack, "campaign", PersonalizeNames.GroupChildren(project));
        var solutionArns = PersonalizeNames.Arns(stack, "solution", PersonalizeNames.GroupChildren(project));
        var filterArns = PersonalizeNames.Arns(stack, "filter", PersonalizeNames.GroupChildren(project));
        var recommenderArns = PersonalizeNames.Arns(stack, "recommender", PersonalizeNames.GroupChildren(project));
        var attributionArns = PersonalizeNames.Arns(stack, "metric-attribution", PersonalizeNames.GroupChildren(project));
        // Dataset ARNs are dataset/GROUP-NAME/TYPE.
        var datasetArns = PersonalizeNames.Arns(stack, "dataset", PersonalizeNames.Datasets(project));
        // Event tracker ARNs end in an id Personalize generates, not the tracker's name, so no narrower pattern exists.
        var trackerArns = new[] { Arn("event-tracker", "*") };
        // Personalize's List* actions have no resource-level permissions (IAM Service Authorization Reference: no
        // resource type), so they can only be granted on "*"; they read names and ARNs, nothing else.
        string[] anyResource = ["*"];

        _notifyAndFail = NotifyAndFail();

        // Built back to front: each stage's "nothing left" branch goes to the next stage.
        var succeed = new Succeed(this, "TeardownSucceeded");

        var deleteGroup = DeleteAndWait(new Deletion("DatasetGroup", "DatasetGroupArn", groupArns), "$.dataset_group", "$.groupPoll", topLevel: true);
        deleteGroup.End.Next(DeleteGroupSchemas(stack, PersonalizeNames.Arns(stack, "schema", PersonalizeNames.GroupChildren(project)), succeed));

        var datasets = DeleteEach(new Deletion("Dataset", "DatasetArn", datasetArns),
            listAction: "listDatasets", listResult: "Datasets", listParameters: ByGroup(), listIam: anyResource, next: deleteGroup.Start);
        // Personalize refuses to delete a dataset group that still has recommenders or a metric attribution.
        var attributions = DeleteEach(new Deletion("MetricAttribution", "MetricAttributionArn", attributionArns),
            listAction: "listMetricAttributions", listResult: "MetricAttributions", listParameters: ByGroup(), listIam: anyResource, next: datasets);
        var filters = DeleteEach(new Deletion("Filter", "FilterArn", filterArns),
            listAction: "listFilters", listResult: "Filters", listParameters: ByGroup(), listIam: anyResource, next: attributions);
        var trackers = DeleteEach(new Deletion("EventTracker", "EventTrackerArn", trackerArns),
            listAction: "listEventTrackers", listResult: "EventTrackers", listParameters: ByGroup(), listIam: anyResource, next: filters);
        var recommenders = DeleteEach(new Deletion("Recommender", "RecommenderArn", recommenderArns),
            listAction: "listRecommenders", listResult: "Recommenders", listParameters: ByGroup(), listIam: anyResource, next: trackers);
        var solutions = DeleteEach(new Deletion("Solution", "SolutionArn", solutionArns),
            listAction: "listSolutions", listResult: "Solutions", listParameters: ByGroup(), listIam: anyResource, next: recommenders);
        var campaigns = DeleteCampaignsOfEachSolution(campaignArns, anyResource, next: solutions);

        AddRetriesAndCatches();

        StateMachine = new StateMachine(this, "Resource", new StateMachineProps
        {
            DefinitionBody = DefinitionBody.FromChainable(campaigns),
            StateMachineType = StateMachineType.STANDARD,
            Comment = "Delete a Personalize dataset group and everything in it, in the order Personalize requires",
            // Eight stages, each bounded by its polls, plus room for throttling retries.
            Timeout = Duration.Seconds(8L * props.PollSeconds * props.MaxPollAttempts + 3600),
            TracingEnabled = true,
            Logs = new LogOptions
            {
                Destination = new LogGroup(this, "Logs", new LogGroupProps
                {
                    // See TrainingStateMachine: the /aws/vendedlogs/ prefix keeps the account's log resource policy small.
                    LogGroupName = $"/aws/vendedlogs/states/{props.ResourceNamePrefix}-teardown",
                    Retention = RetentionDays.ONE_MONTH,
                    RemovalPolicy = RemovalPolicy.DESTROY,
                }),
                Level = LogLevel.ERROR,
                IncludeExecutionData = false,
            },
        });
    }

    /// <summary>
    /// Schemas belong to no dataset group, so deleting the group leaves them: the training machine's, named
    /// <c>{group}-{interactions|items|users}</c>, are deleted once the group is gone (one already gone, or never created, counts as deleted).
    /// </summary>
    private IChainable DeleteGroupSchemas(Stack stack, string[] schemaArns, IChainable next)
    {
        var groupName = JsonPath.ArrayGetItem(JsonPath.StringSplit(JsonPath.StringAt("$.dataset_group"), "/"), 1);
        var schemaArn = stack.FormatArn(new ArnComponents { Service = "personalize", Resource = "schema", ResourceName = "{}-" });
        var names = new Pass(this, "NameGroupSchemas", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["arns"] = JsonPath.Array([.. TrainingInput.Datasets.Select(d => JsonPath.Format(schemaArn + d.Key, groupName))]),
            },
            ResultPath = "$.schemas",
        });
        var each = new Map(this, "DeleteSchemas", new MapProps
        {
            ItemsPath = "$.schemas.arns",
            ItemSelector = new Dictionary<string, object> { ["arn"] = JsonPath.StringAt("$$.Map.Item.Value") },
            ResultPath = JsonPath.DISCARD,
        });
        var delete = new CallAwsService(this, "DeleteSchema", new CallAwsServiceProps
        {
            Service = "personalize",
            Action = "deleteSchema",
            IamAction = "personalize:DeleteSchema",
            Parameters = new Dictionary<string, object> { ["SchemaArn"] = JsonPath.StringAt("$.arn") },
            IamResources = schemaArns,
            ResultPath = JsonPath.DISCARD,
        });
        delete.AddCatch(new Pass(this, "SchemaDeleted"), new CatchProps { Errors = [PersonalizeErrors.ResourceNotFound], ResultPath = JsonPath.DISCARD });
        delete.AddRetry(FailureStates.ThrottlingRetry());
        each.ItemProcessor(delete);
        each.AddCatch(FailureStates.RecordError(this, "DeleteSchemas", _notifyAndFail), new CatchProps { Errors = [Errors.ALL], ResultPath = "$.error" });
        names.Next(each).Next(next);
        return names;
    }

    /// <summary>One kind of resource: its name in state names and SDK actions (Delete{Kind}), its ARN parameter, and the IAM resources.</summary>
    private sealed record Deletion(string Kind, string ArnParameter, string[] IamResources);

    private static Dictionary<string, object> ByGroup() => new()
    {
        ["DatasetGroupArn"] = JsonPath.StringAt("$.dataset_group"),
        ["MaxResults"] = PageSize,
    };

    /// <summary>
    /// List{Kind}s → any left? → Map: delete each and wait until it is gone → list again. Returns the List state; when
    /// the listing is empty the chain goes on to <paramref name="next"/>.
    /// </summary>
    private IChainable DeleteEach(Deletion deletion, string listAction, string listResult, Dictionary<string, object> listParameters, string[] listIam, IChainable next, string? name = null)
    {
        var stage = name ?? deletion.Kind + "s";
        var list = new CallAwsService(this, "List" + stage, new CallAwsServiceProps
        {
            Service = "personalize",
            Action = listAction,
            IamAction = "personalize:" + char.ToUpperInvariant(listAction[0]) + listAction[1..],
            Parameters = listParameters,
            IamResources = listIam,
            ResultSelector = new Dictionary<string, object> { ["items"] = JsonPath.ListAt("$." + listResult) },
            ResultPath = "$.listing",
        });
        _caughtTasks.Add(((h, c) => list.AddCatch(h, c), "List" + stage));
        _retriedTasks.Add(list);

        var each = new Map(this, "Delete" + stage, new MapProps
        {
            ItemsPath = "$.listing.items",
            ItemSelector = new Dictionary<string, object>
            {
                ["arn"] = JsonPath.StringAt($"$$.Map.Item.Value.{deletion.ArnParameter}"),
                ["dataset_group"] = JsonPath.StringAt("$.dataset_group"),
            },
            // A few at a time: Personalize throttles control-plane calls per account.
            MaxConcurrency = 5,
            ResultPath = JsonPath.DISCARD,
        });
        var perItem = DeleteAndWait(deletion, "$.arn", "$.poll", topLevel: false);
        each.ItemProcessor(perItem.Start);
        _caughtTasks.Add(((h, c) => each.AddCatch(h, c), "Delete" + stage));
        each.Next(list);

        list.Next(new Choice(this, "Any" + stage + "Left")
            .When(Condition.IsPresent("$.listing.items[0]"), each)
            .Otherwise(next));
        return list;
    }

    /// <summary>
    /// Campaigns can only be listed per solution: for each solution of the group (Map), delete its campaigns and wait.
    /// </summary>
    private IChainable DeleteCampaignsOfEachSolution(string[] campaignArns, string[] listIam, IChainable next)
    {
        var listSolutions = new CallAwsService(this, "ListSolutionsForCampaigns", new CallAwsServiceProps
        {
            Service = "personalize",
            Action = "listSolutions",
            IamAction = "personalize:ListSolutions",
            Parameters = ByGroup(),
            IamResources = listIam,
            ResultSelector = new Dictionary<string, object> { ["items"] = JsonPath.ListAt("$.Solutions") },
            ResultPath = "$.listing",
        });
        _caughtTasks.Add(((h, c) => listSolutions.AddCatch(h, c), "ListSolutionsForCampaigns"));
        _retriedTasks.Add(listSolutions);

        var perSolution = new Map(this, "DeleteCampaignsOfSolutions", new MapProps
        {
            ItemsPath = "$.listing.items",
            ItemSelector = new Dictionary<string, object>
            {
                ["solution"] = JsonPath.StringAt("$$.Map.Item.Value.SolutionArn"),
                ["dataset_group"] = JsonPath.StringAt("$.dataset_group"),
            },
            MaxConcurrency = 5,
            ResultPath = JsonPath.DISCARD,
        });
        var campaignsDone = new Succeed(this, "SolutionCampaignsDeleted");
        var campaigns = DeleteEach(new Deletion("Campaign", "CampaignArn", campaignArns),
            listAction: "listCampaigns", listResult: "Campaigns",
            listParameters: new Dictionary<string, object> { ["SolutionArn"] = JsonPath.StringAt("$.solution"), ["MaxResults"] = PageSize },
            listIam: listIam, next: campaignsDone);
        perSolution.ItemProcessor(campaigns);
        _caughtTasks.Add(((h, c) => perSolution.AddCatch(h, c), "DeleteCampaignsOfSolutions"));
        // Solutions past the first page keep their campaigns until the solutions stage, which then fails with
        // ResourceInUseException and alerts; Personalize's default quota (500 solutions per group) makes that unlikely.
        listSolutions.Next(new Choice(this, "AnySolutionsWithCampaigns")
            .When(Condition.IsPresent("$.listing.items[0]"), perSolution.Next(next))
            .Otherwise(next));
        return listSolutions;
    }

    /// <summary>
    /// Delete{Kind}, then Describe{Kind} polled (a fixed wait between polls) until it answers ResourceNotFoundException
    /// (the resource is gone) or the polls run out. A resource already gone when Delete is called counts as deleted.
    /// </summary>
    private (IChainable Start, INextable End) DeleteAndWait(Deletion deletion, string arnPath, string pollPath, bool topLevel)
    {
        var kind = deletion.Kind;
        var gone = new Pass(this, kind + "Deleted");
        // Delete and Describe both name the resource by its ARN and are allowed on the deletion's resources only.
        CallAwsService CallOnTheResource(string operation, string sdkAction) => new(this, operation + kind, new CallAwsServiceProps
        {
            Service = "personalize",
            Action = sdkAction + kind,
            IamAction = "personalize:" + operation + kind,
            Parameters = new Dictionary<string, object> { [deletion.ArnParameter] = JsonPath.StringAt(arnPath) },
            IamResources = deletion.IamResources,
            ResultPath = JsonPath.DISCARD,
        });
        var delete = CallOnTheResource("Delete", "delete");
        var describe = CallOnTheResource("Describe", "describe");
        var names = new PollStateNames(kind) { Check = kind + "StillThere", Wait = "WaitFor" + kind + "Deletion" };
        const string timeoutError = "Pipeline.DeletionTimeout";
        var timeoutCause = $"a {kind} was still being deleted after {_props.MaxPollAttempts} polls";
        // Inside a Map a Fail ends the iteration and the Map's catcher alerts; at the top level the alert is sent here.
        IChainable timedOut = topLevel
            ? new Pass(this, kind + "DeletionTimedOut", new PassProps
            {
                Parameters = new Dictionary<string, object> { ["State"] = names.Check, ["Error"] = timeoutError, ["Cause"] = timeoutCause },
                ResultPath = "$.error",
            }).Next(_notifyAndFail)
            : new Fail(this, kind + "DeletionTimedOut", new FailProps { Error = timeoutError, Cause = timeoutCause });
        var poll = PollLoop.UntilGone(this, names, pollPath, describe, new PollSettings(_props.PollSeconds, _props.PollSeconds, _props.MaxPollAttempts),
            onGone: gone, exhausted: timedOut);
        // The resource is gone already: the goal of this step.
        delete.AddCatch(gone, new CatchProps { Errors = [PersonalizeErrors.ResourceNotFound], ResultPath = JsonPath.DISCARD });
        _retriedTasks.Add(delete);
        _retriedTasks.Add(describe);
        // Inside a Map, a failure ends the iteration and the Map state catches it; outside, the task catches it.
        _caughtTasks.Add(((h, c) => delete.AddCatch(h, c), "Delete" + kind));
        _caughtTasks.Add(((h, c) => describe.AddCatch(h, c), "Describe" + kind));
        delete.Next(poll);
        return (delete, gone);
    }

    private void AddRetriesAndCatches()
    {
        foreach (var task in _retriedTasks)
        {
            task.AddRetry(FailureStates.ThrottlingRetry());
        }

        // Only the states at the top level can reach NotifyFailure; those inside a Map fail their iteration instead,
        // and the Map state (also in this list) catches that. CDK rejects a Catch that leaves the Map's scope.
        foreach (var (addCatch, name) in _caughtTasks.Where(t => IsTopLevel(t.Name)))
        {
            addCatch(FailureStates.RecordError(this, name, _notifyAndFail), new CatchProps { Errors = [Errors.ALL], ResultPath = "$.error" });
        }
    }

    /// <summary>Every failure path leaves {State, Error, Cause} in $.error, so one notify state and one Fail serve them all.</summary>
    private IChainable NotifyAndFail() =>
        FailureStates.NotifyThenFail(this, _props.AlertTopic, "Pipeline teardown failed", "TeardownFailed", "datasetGroup", "$.dataset_group");

    // Top level: the three list states of the group-wide stages, the Maps over them, and the dataset group's own deletion.
    private static bool IsTopLevel(string name) => name is
        "ListSolutionsForCampaigns" or "DeleteCampaignsOfSolutions"
        or "ListSolutions" or "DeleteSolutions"
        or "ListRecommenders" or "DeleteRecommenders"
        or "ListEventTrackers" or "DeleteEventTrackers"
        or "ListFilters" or "DeleteFilters"
        or "ListMetricAttributions" or "DeleteMetricAttributions"
        or "ListDatasets" or "DeleteDatasets"
        or "DeleteDatasetGroup" or "DescribeDatasetGroup";
}
