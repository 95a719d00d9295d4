namespace Pipeline.Api.Handlers;

/// <summary>
/// The QA override of a recommendation request: <c>?force_variant=KEY</c> or the <c>x-force-variant</c>
/// header (the query wins). A forced request is served the variant without being assigned or logged as an
/// exposure, so QA traffic never enters the analysis.
/// </summary>
public static class ExperimentsForcedVariant
{
    public const string Query = "force_variant";
    public const string Header = "x-force-variant";

    public static string? From(HttpRequest request)
    {
        var value = request.Query[Query].FirstOrDefault() ?? request.Headers[Header].FirstOrDefault();
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
