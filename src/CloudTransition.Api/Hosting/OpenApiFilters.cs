using System.Reflection;
using System.Text.Json.Nodes;
using CloudTransition.Api.Common;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace CloudTransition.Api.Hosting;

/// <summary>
/// Makes the published contract say what the service really answers: every problem it can give as
/// application/problem+json, request examples, and the webhook's signature headers instead of the bearer key.
/// </summary>
public class ProblemResponsesFilter : IOperationFilter
{
    private static readonly Dictionary<string, string> Meaning = new()
    {
        ["400"] = "A field is missing or invalid; `errors` names each field and the problem.",
        ["401"] = "No valid API key or bearer token (the problem's `detail` and `WWW-Authenticate` say why a token was refused), or, for webhooks, no valid signature.",
        ["403"] = "The caller's role does not allow this, the tenant maps none of a token's roles or groups, or a signed-in page's change lacks its `X-CSRF-Token`.",
        ["404"] = "No such transition or item for the caller's tenant.",
        ["409"] = "The item changed meanwhile, the expected version is stale, the change contradicts its state, or a request with the same `Idempotency-Key` is still running.",
        ["413"] = "The body is larger than 4 MiB.",
        ["406"] = "The `Accept` header allows no answer the API gives (JSON, problems as problem+json).",
        ["415"] = "The body is not JSON (or CSV where CSV is accepted).",
        ["422"] = "A domain rule refuses the request, or the `Idempotency-Key` was used before with another request; `detail` says why.",
        ["429"] = "Too many requests for this key; retry after `Retry-After` seconds.",
        ["500"] = "An unexpected failure; logged, without details in the answer.",
        ["503"] = "The event store cannot be reached; retry after `Retry-After` seconds.",
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var path = "/" + context.ApiDescription.RelativePath;
        var method = context.ApiDescription.HttpMethod ?? "GET";
        var webhook = path.StartsWith("/api/webhooks/");
        var hasBody = operation.RequestBody is not null;
        var codes = new List<string> { "401", "406", "429", "500", "503" };
        var idempotent = method == "POST" && !webhook;
        if (hasBody || operation.Parameters?.Any(p => p.In == ParameterLocation.Query) == true || (method != "GET" && path.Contains('{'))) codes.Add("400");
        if (hasBody) codes.AddRange(["413", "415"]);
        if (!webhook) codes.Add("403");
        if (path.Contains('{') || webhook || path is "/api/keys") codes.Add("404");
        if (idempotent || (method != "GET" && path.StartsWith("/api/transitions/{")) || webhook) codes.Add("409");
        if (idempotent || webhook) codes.Add("422");
        if (idempotent) IdempotencyKey(operation);

        operation.Responses ??= new OpenApiResponses();
        foreach (var (code, response) in operation.Responses.Where(r => r.Key.StartsWith('4') || r.Key.StartsWith('5')).ToList())
            operation.Responses[code] = Problem(code, context);
        foreach (var code in codes.Where(c => !operation.Responses.ContainsKey(c)))
            operation.Responses[code] = Problem(code, context);
        if (operation.OperationId is "listTransitions" or "getRoleWeights" or "getPortfolio") operation.Responses.Remove("404");
    }

    /// <summary>Every POST takes an optional `Idempotency-Key` (Hosting/Idempotency.cs): the first answer is replayed for a retry.</summary>
    private static void IdempotencyKey(OpenApiOperation operation)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "Idempotency-Key", In = ParameterLocation.Header, Required = false,
            Description = "A key of the client's choosing: a retry with the same key and request gets the first answer again; with another request, 422.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 255 },
        });
    }

    private static OpenApiResponse Problem(string code, OperationFilterContext context) => new()
    {
        Description = Meaning.GetValueOrDefault(code, "A problem."),
        Content = new Dictionary<string, IOpenApiMediaType>
        {
            ["application/problem+json"] = new OpenApiMediaType
            {
                Schema = new OpenApiSchemaReference(code == "400" ? "HttpValidationProblemDetails" : "ProblemDetails", context.Document),
            },
        },
    };
}

/// <summary>The webhook is authenticated by its Standard Webhooks signature, not by an API key.</summary>
public class WebhookSignatureFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.OperationId != "receiveWebhook") return;
        operation.Security = [];
        operation.Parameters ??= [];
        foreach (var (name, description) in new[]
        {
            ("webhook-id", "The delivery's unique id; a redelivery with the same id is answered with the first result."),
            ("webhook-timestamp", "Unix seconds when it was signed; at most 5 minutes from the server's clock."),
            ("webhook-signature", "`v1,<base64 HMAC-SHA256 of \"{webhook-id}.{webhook-timestamp}.{raw body}\">`, several separated by spaces."),
        })
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name, In = ParameterLocation.Header, Required = true, Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
    }
}

/// <summary>Each endpoint's <see cref="RequestExampleAttribute"/> as the example of its request body (JSON for every JSON media type, text for its own).</summary>
public class RequestExamplesFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.RequestBody?.Content is null) return;
        foreach (var example in context.MethodInfo?.GetCustomAttributes<RequestExampleAttribute>() ?? [])
        foreach (var (type, media) in operation.RequestBody.Content)
        {
            if (media is not OpenApiMediaType editable) continue;
            if (example.MediaType.StartsWith("text/") && type == example.MediaType) editable.Example = JsonValue.Create(example.Body);
            else if (example.MediaType.Contains("json") && type.Contains("json")) editable.Example = JsonNode.Parse(example.Body);
        }
    }
}
