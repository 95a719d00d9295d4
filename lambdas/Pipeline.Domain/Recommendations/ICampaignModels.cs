namespace Pipeline.Domain.Recommendations;

/// <summary>
/// The models behind Personalize campaigns (the adapter calls the runtime API; the domain only asks). A variant with a
/// <see cref="Experiments.Variant.Campaign"/> is served by <see cref="For"/> of that ARN instead of the in-process model
/// of its recipe.
/// </summary>
public interface ICampaignModels
{
    /// <summary>A model for one request: it keeps what the campaign said about its answer (<see cref="ICampaignModel.Answer"/>).</summary>
    /// <param name="recipe">The variant's recipe: it decides whether the campaign is asked by user or by item (similar items).</param>
    /// <param name="context">The request's contextual metadata (Personalize's <c>context</c>, e.g. DEVICE), sent with every call.</param>
    ICampaignModel For(string campaignArn, string recipe, IReadOnlyDictionary<string, string>? context = null);
}

/// <summary>One request's link to a campaign: a ranking model too (GetPersonalizedRanking), and what its last answer was.</summary>
public interface ICampaignModel : IRankingModel
{
    string CampaignArn { get; }

    /// <summary>Set when the campaign answered: its recommendation id and, where known, the solution version it serves.</summary>
    CampaignAnswer? Answer { get; }
}

/// <param name="RecommendationId">Personalize's id of the list: it becomes the response's (and the exposure's) id, so events that
/// carry it are attributed by Personalize and by the experiment alike.</param>
/// <param name="SolutionVersionArn">The version the campaign serves as DescribeCampaign last said (the runtime API does not tell).</param>
public sealed record CampaignAnswer(string? RecommendationId, string? SolutionVersionArn);

/// <summary>
/// A model that cannot answer for a reason the fallback chain reports in <c>served_by</c> (e.g. <c>throttled</c>,
/// <c>unknown-campaign</c>); any other exception is a <see cref="ServedBy.ModelError"/>.
/// </summary>
public sealed class ModelUnavailableException(string reason, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Reason { get; } = reason;
}
