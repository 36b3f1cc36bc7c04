using NJsonSchema;
using NSwag;
using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Contract;

/// <summary>
/// Every answer an integration test receives from /api is checked against the committed contract: its status must be one
/// the operation documents, and a JSON body must validate against the schema documented for that status. A test whose
/// answer the document does not describe fails where it made the call.
/// </summary>
public static class ContractConformance
{
    private static readonly Lazy<Task<OpenApiDocument>> Document = new(() =>
        OpenApiDocument.FromFileAsync(Path.Combine(TestDatabase.RepositoryRoot(), "contracts/openapi/v1.json")));

    public static async Task Check(string method, string url, Reply reply)
    {
        var path = url.Split('?')[0];
        if (!path.StartsWith("/api/")) return;
        var document = await Document.Value;
        var operation = Operation(document, method, path);
        if (operation is null) return; // an unknown route or method: 404/405, which no operation describes
        var status = reply.Status.ToString();
        // A body sent where the contract takes none (the fuzz test does) is outside it: its 413/415 refusal is not described per route.
        if (operation.RequestBody is null && reply.Status is 413 or 415) return;
        if (!operation.Responses.TryGetValue(status, out var response))
            throw new ContractViolation($"{method} {path} answered {status}, which the contract does not list for it ({string.Join(", ", operation.Responses.Keys)}): {Short(reply.Body)}");
        var mediaType = reply.ContentType.Split(';')[0].Trim();
        if (mediaType == "text/csv" && !response.Content.ContainsKey("text/csv"))
            throw new ContractViolation($"{method} {path} {status} answered text/csv, which the contract does not list for it.");
        if (reply.Body.Length == 0 || !mediaType.EndsWith("json")) return;
        var schema = response.Content.TryGetValue(mediaType, out var media) ? media.Schema
            : response.Content.Values.FirstOrDefault()?.Schema;
        if (schema is null) throw new ContractViolation($"{method} {path} {status} has a {mediaType} body the contract does not describe: {Short(reply.Body)}");
        var errors = schema.ActualSchema.Validate(reply.Body, SchemaType.OpenApi3);
        if (errors.Count > 0)
            throw new ContractViolation($"{method} {path} {status} does not match its schema: {string.Join("; ", errors.Take(5).Select(e => $"{e.Path}: {e.Kind}"))} in {Short(reply.Body)}");
    }

    private static OpenApiOperation? Operation(OpenApiDocument document, string method, string path)
    {
        var segments = path.Trim('/').Split('/');
        foreach (var (template, item) in document.Paths)
        {
            var parts = template.Trim('/').Split('/');
            if (parts.Length != segments.Length) continue;
            if (!parts.Zip(segments).All(p => p.First.StartsWith('{') || string.Equals(p.First, p.Second, StringComparison.Ordinal))) continue;
            if (item.TryGetValue(method.ToLowerInvariant(), out var operation)) return operation;
        }
        return null;
    }

    private static string Short(string body) => body.Length > 400 ? body[..400] + "…" : body;
}

public class ContractViolation(string message) : Exception(message);
