using CloudTransition.Api.Common;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace CloudTransition.Api.Hosting;

/// <summary>
/// Endpoints that read their body themselves (the inventory, which takes JSON or CSV; the webhook, which verifies the raw
/// bytes first) declare what they accept and answer in their metadata; the document says so too, so a client generated
/// from it can send an inventory and read its 201/207, not a 200 of an internal result type.
/// </summary>
public class EndpointBodiesFilter : IOperationFilter
{
    /// <summary>An array body as a schema of its own (`InventoryMailboxes`): generators (Kiota) then type it as a list of the item.</summary>
    private static IOpenApiSchema NamedArray(Type array, OperationFilterContext context)
    {
        var item = array.GetElementType()!;
        var name = item.Name + (item.Name.EndsWith('x') || item.Name.EndsWith('s') ? "es" : "s");
        if (!context.SchemaRepository.Schemas.ContainsKey(name))
            context.SchemaRepository.Schemas[name] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array, Items = context.SchemaGenerator.GenerateSchema(item, context.SchemaRepository),
            };
        return new OpenApiSchemaReference(name, context.Document);
    }

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (operation.RequestBody is null && metadata.OfType<IAcceptsMetadata>().FirstOrDefault() is { RequestType: { } type } accepts)
        {
            var shapes = metadata.OfType<BodyIsOneOf>().FirstOrDefault()?.Types ?? (type.IsArray ? [type.GetElementType()!, type] : [type]);
            var schemas = shapes.Select(t => t.IsArray ? NamedArray(t, context) : context.SchemaGenerator.GenerateSchema(t, context.SchemaRepository)).ToList();
            var schema = schemas.Count == 1 ? schemas[0] : new OpenApiSchema { OneOf = schemas };
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = accepts.ContentTypes.ToDictionary(c => c, c => (IOpenApiMediaType)new OpenApiMediaType
                {
                    Schema = c == "text/csv" ? new OpenApiSchema { Type = JsonSchemaType.String, Description = "CSV with a header row." } : schema,
                }),
            };
        }
        if (operation.RequestBody is null && metadata.OfType<RawTextBody>().FirstOrDefault() is { } raw)
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = raw.ContentTypes.ToDictionary(c => c, _ => (IOpenApiMediaType)new OpenApiMediaType
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = raw.Description },
                }),
            };
        if (metadata.OfType<CsvExport>().Any() && operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse { Content: { } okContent })
            okContent["text/csv"] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "With `Accept: text/csv` or `format=csv`: the list as CSV (UTF-8 with a byte order mark, a header row, RFC 4180 quoting, instants in ISO-8601 UTC).",
                },
            };
        if (metadata.OfType<Reports.PdfReport>().Any())
        {
            operation.Responses ??= [];
            operation.Responses["200"] = new OpenApiResponse
            {
                Description = "The report (`Content-Disposition` names it after the organisation and the day).",
                Content = new Dictionary<string, IOpenApiMediaType> { ["application/pdf"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } } },
            };
        }
        // Wolverine declares a 200 of IResult for an endpoint answering IResult; its real answers are declared beside it.
        foreach (var code in operation.Responses?.Where(r => r.Value is OpenApiResponse { Content: { } content }
                     && content.Values.Any(m => m.Schema is OpenApiSchemaReference { Reference.Id: nameof(IResult) })).Select(r => r.Key).ToList() ?? [])
            operation.Responses!.Remove(code);
    }
}

/// <summary>
/// Drops the schemas nothing refers to: the internal result type once the filter above ran, and enums that are only ever
/// nullable (written inline by <see cref="NullableMembersFilter"/>).
/// </summary>
public class InternalSchemasFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        if (document.Components?.Schemas is not { } schemas) return;
        schemas.Remove(nameof(IResult));
        var text = document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_0).GetAwaiter().GetResult();
        foreach (var unused in schemas.Keys.Where(name => !text.Contains($"\"#/components/schemas/{name}\"", StringComparison.Ordinal)).ToList())
            schemas.Remove(unused);
    }
}
