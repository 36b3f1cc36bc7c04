using System.Reflection;
using CloudTransition.Api.Common;
using CloudTransition.Api.Views;
using CloudTransition.Api.Views.Dashboard;
using CloudTransition.Api.Views.Dependencies;
using CloudTransition.Api.Views.Portfolio;
using CloudTransition.Api.Views.RoleImpacts;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Wolverine.Http;

namespace CloudTransition.Api.Reports;

/// <summary>Endpoint metadata: the answer is a PDF (`Accept: application/pdf`).</summary>
public sealed record PdfReport;

/// <summary>A PDF answer, named after the organisation and the day.</summary>
public sealed class PdfFile(byte[] bytes, string name) : IResult, IEndpointMetadataProvider
{
    public Task ExecuteAsync(HttpContext http)
    {
        http.Response.Headers.ContentDisposition = CsvFile.Disposition("inline", name);
        return Results.Bytes(bytes, "application/pdf").ExecuteAsync(http);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => builder.Metadata.Add(new PdfReport());
}

public static class GetReportsEndpoints
{
    [Tags("Views")]
    [WolverineGet("/api/transitions/{id}/report", OperationId = "getStatusReport", Summary = "A PDF status report for the steering group",
        Description = "Two to four A4 pages: organisation, phase and date; progress per category; the burn-down with its planned line and forecast as a chart; " +
                      "waves, plan against actual; top risks; remaining dependencies by category with the first items; support cases with their ageing; " +
                      "role impacts. `asOf` (an instant) reports the transition as it stood then. Fonts are embedded.")]
    public static async Task<Results<PdfFile, ProblemHttpResult>> Transition(string id, DateTimeOffset? asOf, IQuerySession session, TimeProvider time)
    {
        if (await ViewReader.ReadWithMailboxes(session, id, asOf) is not { } view) return Problem.TransitionNotFound(id);
        var now = asOf ?? time.GetUtcNow();
        var mailboxes = await ViewReader.RemainingMailboxes(session, view, now, null, 5);
        var pdf = StatusReport.Of(view, DashboardRules.Of(view, now, asOf), mailboxes, DependencyRules.Others(view).ToList(), RoleImpactRules.Of(view, now, asOf), now, asOf);
        return new PdfFile(pdf, $"{view.Organisation} status report {now.UtcDateTime:yyyy-MM-dd}.pdf");
    }

    [Tags("Views")]
    [WolverineGet("/api/portfolio/report", OperationId = "getPortfolioReport", Summary = "A PDF report of the tenant's portfolio",
        Description = "One row per transition (as `GET /api/portfolio` gives them: organisation, phase, percent done, remaining, open cases, late waves, " +
                      "stalled moves, forecast and planned completion), on A4 pages. `limit` (1–250, default 100), `after` and `asOf` as for the portfolio.")]
    public static async Task<Results<PdfFile, ProblemHttpResult>> Portfolio(DateTimeOffset? asOf, int? limit, string? after, HttpRequest http, IQuerySession session,
        Cursors cursors, TimeProvider time)
    {
        var read = await GetPortfolioEndpoint.Get(asOf, limit, after, "json", http, session, cursors, time);
        if (read.Result is not Ok<PortfolioView> { Value: { } portfolio }) return (ProblemHttpResult)read.Result;
        var now = asOf ?? time.GetUtcNow();
        return new PdfFile(StatusReport.Portfolio(session.TenantId, portfolio, now), $"{session.TenantId} portfolio {now.UtcDateTime:yyyy-MM-dd}.pdf");
    }
}
