using System.Globalization;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace CloudTransition.Api.Hosting;

/// <summary>
/// Writes each request's FluentValidation rules into its schema: required fields, lengths, ranges and patterns. The
/// validators stay the one source, so the document and what the service refuses cannot drift apart. Rules that apply
/// only under a condition (`error` when a move failed) are left to the field's description.
/// </summary>
public class ValidationSchemasFilter(IServiceProvider services) : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema editable || editable.Properties is not { Count: > 0 } properties) return;
        if (services.GetService(typeof(IValidator<>).MakeGenericType(context.Type)) is not IValidator validator) return;
        var descriptor = validator.CreateDescriptor();
        // Rules are named as the body names its fields (camelCase: HttpApi sets FluentValidation's property name resolver).
        foreach (var (name, property) in properties)
        {
            foreach (var component in descriptor.GetRulesForMember(name).SelectMany(r => r.Components).Where(c => !c.HasCondition && !c.HasAsyncCondition))
                Constrain(editable, name, property as OpenApiSchema, component.Validator);
        }
    }

    private static void Constrain(OpenApiSchema schema, string name, OpenApiSchema? property, IPropertyValidator rule)
    {
        var text = property?.Type?.HasFlag(JsonSchemaType.String) == true;
        var list = property?.Type?.HasFlag(JsonSchemaType.Array) == true;
        switch (rule)
        {
            case INotNullValidator:
                (schema.Required ??= new HashSet<string>()).Add(name);
                break;
            case INotEmptyValidator:
                (schema.Required ??= new HashSet<string>()).Add(name);
                if (text) property!.MinLength = Math.Max(property.MinLength ?? 0, 1);
                if (list) property!.MinItems = Math.Max(property.MinItems ?? 0, 1);
                break;
            case ILengthValidator length when text:
                if (length.Max > 0) property!.MaxLength = length.Max;
                if (length.Min > 0) property!.MinLength = length.Min;
                break;
            case IBetweenValidator between when property is not null:
                (property.Minimum, property.Maximum) = (Number(between.From), Number(between.To));
                break;
            case IComparisonValidator { Comparison: Comparison.GreaterThanOrEqual or Comparison.GreaterThan } lower when property is not null:
                property.Minimum = Number(lower.ValueToCompare);
                if (lower.Comparison == Comparison.GreaterThan) property.ExclusiveMinimum = property.Minimum;
                break;
            case IComparisonValidator { Comparison: Comparison.LessThanOrEqual or Comparison.LessThan } upper when property is not null:
                property.Maximum = Number(upper.ValueToCompare);
                if (upper.Comparison == Comparison.LessThan) property.ExclusiveMaximum = property.Maximum;
                break;
            case IRegularExpressionValidator pattern when text:
                property!.Pattern = pattern.Expression;
                break;
        }
    }

    private static string? Number(object? value) => value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
}

/// <summary>
/// A nullable enum property (`tool` of directory sync, `method` of a device) is written inline as a nullable string of
/// the enum's values, and a nullable object property (`detail` of a move) as a nullable `allOf` of its schema: a `$ref`
/// cannot say null in OpenAPI 3.0, and typed clients then fail to read `"tool": null`.
/// </summary>
public class NullableMembersFilter : ISchemaFilter
{
    private static readonly System.Reflection.NullabilityInfoContext Nullability = new();

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties: { Count: > 0 } properties }) return;
        foreach (var member in context.Type.GetProperties())
        {
            var name = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(member.Name);
            if (!properties.TryGetValue(name, out var property)) continue;
            if (Nullable.GetUnderlyingType(member.PropertyType) is { IsEnum: true } type)
                properties[name] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String | JsonSchemaType.Null,
                    Enum = [.. Enum.GetNames(type).Select(n => (System.Text.Json.Nodes.JsonNode)Common.Kebab.Name(type, n)), null!],
                };
            else if (property is OpenApiSchemaReference reference && Nullability.Create(member).ReadState == System.Reflection.NullabilityState.Nullable)
                properties[name] = new OpenApiSchema { AllOf = [reference], Type = JsonSchemaType.Object | JsonSchemaType.Null };
        }
    }
}

/// <summary>
/// A type that stands for someone else's output (Exchange Online's statistics rows): its columns under their own names, any
/// JSON value each (5.1 wraps enums and dates in objects), and any other column allowed, as the service ignores those.
/// </summary>
public class ForeignRowsFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema concrete || context.Type.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonUnmappedMemberHandlingAttribute), false)
                is not [System.Text.Json.Serialization.JsonUnmappedMemberHandlingAttribute { UnmappedMemberHandling: System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip }])
            return;
        concrete.AdditionalPropertiesAllowed = true;
        concrete.AdditionalProperties = null;
        concrete.Required?.Clear();
        concrete.Properties = context.Type.GetProperties().ToDictionary(p => p.Name, p => (IOpenApiSchema)new OpenApiSchema
        {
            Description = $"As Exchange Online prints it: {(p.PropertyType == typeof(string) ? "text" : "a number or its text")}, or a Windows PowerShell 5.1 wrapper object.",
        });
    }
}
