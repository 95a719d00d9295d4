using Pipeline.Personalize.Local.ControlPlane;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Lifecycle;
using Pipeline.Personalize.Local.Resources;
using Pipeline.Personalize.Local.Runtime;
using Pipeline.Personalize.Local.State;
using Pipeline.Personalize.Local.Storage;

namespace Pipeline.Personalize.Local;

/// <summary>What every operation works with: options, state, background work, file locations, trained models.</summary>
public sealed class PersonalizeContext : IAsyncDisposable
{
    public PersonalizeContext(LocalPersonalizeOptions options)
    {
        Options = options;
        Arns = new Arns(options.Region, options.AccountId);
        Paths = new DataPaths(options);
        Store = new StateStore(Paths.Root);
        Work = new BackgroundWork(options.Lifecycle, options.StepDelay);
        Models = new ModelCache(Paths, options.Serializers, InteractionsFileOf, options.MaxRealtimeUsers);
        Filters = new FilterContexts(this);
    }

    /// <summary>The interactions data of the solution version's dataset group (PutEvents appends there too).</summary>
    private string? InteractionsFileOf(string solutionVersionArn) => Store.Read(state =>
    {
        if (!state.SolutionVersions.TryGetValue(solutionVersionArn, out var version)) return null;
        var dataset = state.Datasets.Values.FirstOrDefault(d =>
            d.DatasetGroupArn == version.DatasetGroupArn && DatasetTypes.Normalize(d.DatasetType) == DatasetTypes.Interactions);
        return dataset is null ? null : Paths.DatasetFile(dataset.DatasetArn);
    });

    public LocalPersonalizeOptions Options { get; }
    public Arns Arns { get; }
    public DataPaths Paths { get; }
    public StateStore Store { get; }
    public BackgroundWork Work { get; }
    public ModelCache Models { get; }
    public FilterContexts Filters { get; }

    public DateTimeOffset Now => Options.Clock.GetUtcNow();

    public static T Get<T>(Dictionary<string, T> table, string arn) where T : Resource =>
        table.TryGetValue(arn, out var resource) ? resource : throw PersonalizeException.NotFound(arn);

    /// <summary>Fails with ResourceInUseException unless the resource is ACTIVE (Personalize's rule for building on a resource).</summary>
    public static T RequireActive<T>(Dictionary<string, T> table, string arn, string what) where T : Resource
    {
        var resource = Get(table, arn);
        return resource.Status == Statuses.Active
            ? resource
            : throw PersonalizeException.InUse($"The {what} {arn} is {resource.Status}; it must be ACTIVE.");
    }

    /// <summary>Sets a status if the resource still exists (it may have been deleted while work ran).</summary>
    public void SetStatus<T>(Func<PersonalizeState, Dictionary<string, T>> table, string arn, string status, string? failureReason = null) where T : Resource =>
        Store.Write(state =>
        {
            if (!table(state).TryGetValue(arn, out var resource)) return;
            resource.Status = status;
            resource.FailureReason = failureReason;
            resource.LastUpdatedDateTime = Now;
        });

    /// <summary>
    /// Resumes what a previous process left creating or deleting in <paramref name="table"/>: the create lifecycle, and
    /// <paramref name="delete"/> (default: the delete lifecycle).
    /// </summary>
    public void Resume<T>(Func<PersonalizeState, Dictionary<string, T>> table, Action<string>? delete = null) where T : Resource
    {
        ResumeCreations(table);
        foreach (var arn in Store.Read(s => table(s).Values.Where(r => Statuses.IsDeleting(r.Status)).Select(r => r.Arn).ToList()))
        {
            if (delete is null) RunDeletion(table, arn);
            else delete(arn);
        }
    }

    /// <summary>
    /// Restarts, for what a previous process left creating in <paramref name="table"/>, <paramref name="create"/>
    /// (default: the create lifecycle with no work of its own).
    /// </summary>
    public void ResumeCreations<T>(Func<PersonalizeState, Dictionary<string, T>> table, Func<string, Task>? create = null) where T : Resource
    {
        foreach (var arn in Store.Read(s => table(s).Values.Where(r => Statuses.IsCreating(r.Status)).Select(r => r.Arn).ToList()))
        {
            if (create is null) RunCreation(table, arn);
            else create(arn);
        }
    }

    /// <summary>
    /// The create lifecycle: CREATE PENDING (set by the caller) → CREATE IN_PROGRESS → the work → ACTIVE, or CREATE FAILED
    /// with the work's exception message as failureReason.
    /// </summary>
    public Task RunCreation<T>(Func<PersonalizeState, Dictionary<string, T>> table, string arn, Func<CancellationToken, Task>? work = null) where T : Resource =>
        Work.Start(async cancellationToken =>
        {
            try
            {
                await Work.Step(cancellationToken);
                SetStatus(table, arn, Statuses.CreateInProgress);
                if (work is not null) await work(cancellationToken);
                await Work.Step(cancellationToken);
                SetStatus(table, arn, Statuses.Active);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Shutting down: the resource stays in its creating status and is resumed on the next start.
            }
            catch (Exception e)
            {
                SetStatus(table, arn, Statuses.CreateFailed, e.Message);
            }
        });

    /// <summary>The resource a Delete operation starts on; a second delete of it is refused, as Personalize does.</summary>
    public static T GetToDelete<T>(Dictionary<string, T> table, string arn, string kind) where T : Resource
    {
        var resource = Get(table, arn);
        return Statuses.IsDeleting(resource.Status) ? throw PersonalizeException.InUse($"The {kind} {arn} is already being deleted.") : resource;
    }

    /// <summary>The delete lifecycle: DELETE PENDING → DELETE IN_PROGRESS → gone (with whatever else goes with it).</summary>
    public Task RunDeletion<T>(Func<PersonalizeState, Dictionary<string, T>> table, string arn, Action<PersonalizeState>? alsoRemove = null, Action? afterRemoval = null) where T : Resource
    {
        SetStatus(table, arn, Statuses.DeletePending);
        return Work.Start(async cancellationToken =>
        {
            try
            {
                await Work.Step(cancellationToken);
                SetStatus(table, arn, Statuses.DeleteInProgress);
                await Work.Step(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Resumed on the next start.
                return;
            }
            Store.Write(state =>
            {
                table(state).Remove(arn);
                alsoRemove?.Invoke(state);
            });
            afterRemoval?.Invoke();
        });
    }

    public ValueTask DisposeAsync() => Work.DisposeAsync();
}
