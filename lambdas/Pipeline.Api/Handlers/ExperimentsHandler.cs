using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.Api.Contracts;
using Pipeline.Api.Http;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Results;

namespace Pipeline.Api.Handlers;

/// <summary>
/// The experiments admin "Lambda handler". Lifecycle: draft → running (start) → stopped (stop) → running
/// (start again). A draft can be edited freely. Once started, the fields that decide who gets which
/// variant (variants, seed, namespace, hash version and attribute, holdout) are fixed: weights change
/// through <c>PUT /experiments/{key}/weights</c>, which states what happens to users already bucketed.
/// </summary>
public sealed class ExperimentsHandler(IExperimentStore experiments, ExperimentResultsService results, TimeProvider time,
    Domain.Experiments.Bandits.BanditUpdater bandits)
{
    /// <summary>Updates every running bandit whose period is over; the experiments whose weights changed.</summary>
    public async Task<Ok<ExperimentListBody>> UpdateBanditsAsync(CancellationToken cancellationToken) =>
        TypedResults.Ok(new ExperimentListBody([.. (await bandits.UpdateDueAsync(cancellationToken)).Select(ExperimentsMapping.ToBody)]));

    public async Task<Results<Created<ExperimentBody>, ProblemHttpResult>> CreateAsync(ExperimentRequestBody body, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var key = errors.Required("key", body.Key);
        if (body.Variants is null)
        {
            errors.Add("variants", "'variants' is required.");
        }
        var draft = new Experiment(key ?? "", ExperimentStatus.Draft, [], 1, "", time.GetUtcNow());
        var experiment = ExperimentsMapping.Apply(body, draft, errors);
        if (!errors.Any)
        {
            ExperimentsMapping.AddAll(errors, ExperimentValidator.Validate(experiment));
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        // One conditional write: of concurrent creates with one key, exactly one is 201.
        if (!await experiments.CreateAsync(experiment, cancellationToken))
        {
            return Conflict("key", $"An experiment '{experiment.Key}' already exists; change it with PUT /experiments/{experiment.Key}.");
        }
        return TypedResults.Created($"/experiments/{experiment.Key}", ExperimentsMapping.ToBody(experiment));
    }

    public async Task<Ok<ExperimentListBody>> ListAsync(CancellationToken cancellationToken) =>
        TypedResults.Ok(new ExperimentListBody((await experiments.ListAsync(cancellationToken)).Select(ExperimentsMapping.ToBody).ToArray()));

    public async Task<Results<Ok<ExperimentBody>, ProblemHttpResult>> GetAsync(string key, CancellationToken cancellationToken) =>
        await experiments.GetAsync(key, cancellationToken) is { } e ? TypedResults.Ok(ExperimentsMapping.ToBody(e)) : NotFound(key);

    public async Task<Results<Ok<ExperimentBody>, ProblemHttpResult>> UpdateAsync(string key, ExperimentRequestBody body, CancellationToken cancellationToken)
    {
        if (await experiments.GetAsync(key, cancellationToken) is not { } current)
        {
            return NotFound(key);
        }
        var errors = new ValidationErrors();
        if (body.Key is not null && body.Key != key)
        {
            errors.Add("key", "'key' cannot change; create a new experiment instead.");
        }
        var updated = ExperimentsMapping.Apply(body, current, errors);
        if (!errors.Any)
        {
            ExperimentsMapping.AddAll(errors, ExperimentValidator.Validate(updated));
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        if (current.Status != ExperimentStatus.Draft && FixedOnceStarted(current, updated) is { } field)
        {
            return Conflict(field, $"'{field}' cannot change once the experiment has started: it would move users between variants. " +
                "Change weights with PUT /experiments/{key}/weights, or create a new experiment.");
        }
        return await ReplaceAsync(current, updated, "key", cancellationToken);
    }

    public Task<Results<Ok<ExperimentBody>, ProblemHttpResult>> StartAsync(string key, CancellationToken cancellationToken) =>
        TransitionAsync(key, ExperimentStatus.Running, cancellationToken);

    public Task<Results<Ok<ExperimentBody>, ProblemHttpResult>> StopAsync(string key, CancellationToken cancellationToken) =>
        TransitionAsync(key, ExperimentStatus.Stopped, cancellationToken);

    /// <summary>
    /// New weights for every variant. Without <c>reassign</c>, users keep the variant they have (sticky) and
    /// only users not yet bucketed follow the new weights; the SRM check then counts only users who entered
    /// after the change. With <c>reassign: true</c> the experiment enters a new phase: every user is bucketed
    /// again with the new weights and the analysis starts over.
    /// </summary>
    public async Task<Results<Ok<ExperimentBody>, ProblemHttpResult>> ChangeWeightsAsync(string key, WeightsRequestBody body, CancellationToken cancellationToken)
    {
        if (await experiments.GetAsync(key, cancellationToken) is not { } current)
        {
            return NotFound(key);
        }
        var errors = new ValidationErrors();
        if (current.Allocation == Domain.Experiments.Bandits.ExperimentAllocation.Bandit && current.Status != ExperimentStatus.Draft)
        {
            return Conflict("weights", $"'{key}' is a bandit: its weights are set by its updates every period; stop it and create a fixed experiment to set them by hand.");
        }
        if (body.Weights is null)
        {
            errors.Add("weights", "'weights' is required: an object of variant key to weight.");
            return Problems.Validation(errors.ToDictionary());
        }
        foreach (var unknown in body.Weights.Keys.Where(k => current.Variants.All(v => v.Key != k)))
        {
            errors.Add($"weights.{unknown}", $"'{unknown}' is not a variant of '{key}'.");
        }
        foreach (var missing in current.Variants.Where(v => !body.Weights.ContainsKey(v.Key)))
        {
            errors.Add($"weights.{missing.Key}", $"'weights.{missing.Key}' is required: every variant needs a weight.");
        }
        if (!errors.Any)
        {
            var fieldErrors = new List<FieldError>();
            ExperimentValidator.ValidateWeights(current.Variants.Select(v => body.Weights[v.Key]).ToArray(), "weights", fieldErrors);
            ExperimentsMapping.AddAll(errors, fieldErrors.Select(e => e with { Field = RenameWeightField(e.Field, current) }));
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var reassign = body.Reassign ?? false;
        var updated = current with
        {
            Variants = current.Variants.Select(v => v with { Weight = body.Weights[v.Key] }).ToArray(),
            Phase = reassign && current.Status != ExperimentStatus.Draft ? current.Phase + 1 : current.Phase,
            WeightsChangedAt = reassign || current.Status == ExperimentStatus.Draft ? null : time.GetUtcNow(),
        };
        return await ReplaceAsync(current, updated, "weights", cancellationToken);
    }

    public async Task<Results<Ok<ExperimentResults>, ProblemHttpResult>> ResultsAsync(string key, CancellationToken cancellationToken) =>
        await results.GetAsync(key, cancellationToken) is { } r ? TypedResults.Ok(r) : NotFound(key);

    private async Task<Results<Ok<ExperimentBody>, ProblemHttpResult>> TransitionAsync(string key, ExperimentStatus target, CancellationToken cancellationToken)
    {
        if (await experiments.GetAsync(key, cancellationToken) is not { } current)
        {
            return NotFound(key);
        }
        var allowed = target == ExperimentStatus.Running ? current.Status != ExperimentStatus.Running : current.Status == ExperimentStatus.Running;
        if (!allowed)
        {
            return Conflict("status", $"The experiment is {current.Status.ToString().ToLowerInvariant()}; it cannot be " +
                (target == ExperimentStatus.Running ? "started again while running." : "stopped unless it is running."));
        }
        var now = time.GetUtcNow();
        var updated = target == ExperimentStatus.Running
            ? current with { Status = target, StartedAt = now, StoppedAt = null }
            : current with { Status = target, StoppedAt = now };
        return await ReplaceAsync(current, updated, "status", cancellationToken);
    }

    /// <summary>
    /// Every change is a conditional write on the state it was decided on: of two concurrent starts, or re-versionings,
    /// one is applied and the other is a 409 (it would have reset <c>started_at</c>, or advanced the phase once for two).
    /// </summary>
    private async Task<Results<Ok<ExperimentBody>, ProblemHttpResult>> ReplaceAsync(
        Experiment current, Experiment updated, string field, CancellationToken cancellationToken)
    {
        if (!await experiments.ReplaceAsync(current, updated, cancellationToken))
        {
            return Conflict(field, $"The experiment '{current.Key}' changed while this request was handled; read it again and retry.");
        }
        return TypedResults.Ok(ExperimentsMapping.ToBody(updated));
    }

    private static string? FixedOnceStarted(Experiment a, Experiment b)
    {
        // Config may change (it tunes an arm without moving users); weights change only through /weights.
        if (a.Variants.Count != b.Variants.Count || a.Variants.Zip(b.Variants).Any(p =>
                p.First.Key != p.Second.Key || p.First.Recipe != p.Second.Recipe || p.First.Campaign != p.Second.Campaign
                || p.First.Weight != p.Second.Weight))
        {
            return "variants";
        }
        return a.Seed != b.Seed ? "seed"
            : a.Namespace != b.Namespace ? "namespace"
            : a.HashVersion != b.HashVersion ? "hash_version"
            : a.HashAttribute != b.HashAttribute ? "hash_attribute"
            : a.Holdout != b.Holdout ? "holdout"
            : a.Allocation != b.Allocation ? "allocation"
            : null;
    }

    // "weights[1].weight" (by position) -> "weights.b" (by key), as the body names them.
    private static string RenameWeightField(string field, Experiment experiment)
    {
        if (field.StartsWith("weights[", StringComparison.Ordinal) && int.TryParse(field[8..field.IndexOf(']')], out var i))
        {
            return $"weights.{experiment.Variants[i].Key}";
        }
        return field;
    }

    private static ProblemHttpResult NotFound(string key) =>
        Problems.Create(StatusCodes.Status404NotFound, "Experiment not found", $"There is no experiment '{key}'.");

    private static ProblemHttpResult Conflict(string field, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status409Conflict,
            Title = "The experiment's state does not allow this change.",
            Detail = message,
        });
}
