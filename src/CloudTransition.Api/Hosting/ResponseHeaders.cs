using System.Reflection;
using CloudTransition.Api.Common;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace CloudTransition.Api.Hosting;

/// <summary>Writes each endpoint's <see cref="ResponseHeaderAttribute"/>s into its responses in the OpenAPI document.</summary>
public class ResponseHeadersFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var header in context.MethodInfo?.GetCustomAttributes<ResponseHeaderAttribute>() ?? [])
        {
            if (operation.Responses?.TryGetValue(header.Status, out var found) != true || found is not OpenApiResponse response) continue;
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers[header.Name] = new OpenApiHeader { Description = header.Description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        }
    }
}
