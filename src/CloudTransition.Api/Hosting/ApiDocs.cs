using CloudTransition.Contracts;
using Microsoft.OpenApi;

namespace CloudTransition.Api.Hosting;

public static class ApiDocs
{
    private static readonly (string Name, string Description)[] Tags =
    [
        ("Transitions", "An organisation's move from on-premises Microsoft to Office 365: phases and timeline."),
        ("Mailboxes", "The mailbox inventory and each mailbox's move to Exchange Online."),
        ("Waves", "Migration waves planned against the clock, blackout windows, and the plan against actual: late waves, stalled moves, slips."),
        ("Directory sync", "Dirsync / Azure AD Connect / Entra Connect: while on, on-prem AD is the source of authority."),
        ("Hybrid", "Hybrid Configuration Wizard runs, endpoint restarts (reboot or iisreset) and Autodiscover / free-busy checks."),
        ("Relay devices", "Printers, scanners and applications that send mail through on-prem Exchange, and where they are re-pointed."),
        ("Relay discovery", "Every sender relaying through Exchange, found in its own SMTP Receive protocol and message tracking logs: unknown senders keep Exchange on until registered or dismissed."),
        ("Advice", "The relay advisor: how a device should send mail once on-prem Exchange is gone. Stores nothing."),
        ("Infrastructure", "On-prem components Office 365 replaces: servers, SAN, load balancers, firewalls."),
        ("Blockers", "What cannot move as it is, e.g. applications installed on an Exchange server."),
        ("Support cases", "Cases with Microsoft or other vendors: first response, escalations, resolution."),
        ("Views", "What project managers act on: remaining dependencies, role impacts, dashboard and portfolio, each also as of any past instant."),
        ("Webhooks", "Signed events from automation (Standard Webhooks), taken exactly once; and the sources' secrets."),
        ("Notifications", "Outbound: the tenant's events sent to its own URLs (Standard Webhooks, Teams, Slack), in order, retried, with a delivery log."),
        ("Security", "Tenants and API keys."),
    ];

    public static void AddApiDocs(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "CloudTransition API",
                Version = "v1",
                Description = "Tracks an organisation's move from on-premises Exchange, Active Directory, SharePoint and Lync to Office 365, as events.",
                License = new OpenApiLicense { Name = "Proprietary", Url = new Uri("https://cloudtransition.example/licence") },
            });
            o.AddServer(new OpenApiServer { Url = "/", Description = "This service" });
            o.MapType<System.Text.Json.Nodes.JsonObject>(() => new OpenApiSchema { Type = JsonSchemaType.Object, Description = "Any JSON object." });
            o.SchemaFilter<ValidationSchemasFilter>();
            o.SchemaFilter<NullableMembersFilter>();
            o.SchemaFilter<ForeignRowsFilter>();
            o.OperationFilter<EndpointBodiesFilter>();
            o.OperationFilter<ProblemResponsesFilter>();
            o.OperationFilter<WebhookSignatureFilter>();
            o.OperationFilter<RequestExamplesFilter>();
            o.OperationFilter<ResponseHeadersFilter>();
            foreach (var assembly in new[] { typeof(Program).Assembly, typeof(ITransitionEvent).Assembly })
            {
                var xml = Path.Combine(AppContext.BaseDirectory, $"{assembly.GetName().Name}.xml");
                if (File.Exists(xml)) o.IncludeXmlComments(xml);
            }
            o.AddSecurityDefinition("bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "An API key: `Authorization: Bearer <key>` (or `X-Api-Key: <key>`); or an access token (JWT) from an identity provider a tenant registered " +
                              "(`POST /api/tenants/{id}/identity-providers`), with `X-Tenant-Id: <tenant>` when several tenants accept the token.",
            });
            o.AddSecurityRequirement(doc => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", doc)] = [] });
            o.DocumentFilter<TagDescriptions>();
            o.DocumentFilter<EventSchemas>();
            o.DocumentFilter<InternalSchemasFilter>();
        });
    }

    public static void UseApiDocs(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(o => o.DocumentTitle = "CloudTransition API");
    }

    /// <summary>Every event type is part of the contract (the timeline's `data`, the webhook types), with its XML docs.</summary>
    private class EventSchemas : Swashbuckle.AspNetCore.SwaggerGen.IDocumentFilter
    {
        public void Apply(OpenApiDocument doc, Swashbuckle.AspNetCore.SwaggerGen.DocumentFilterContext context)
        {
            var events = typeof(ITransitionEvent).Assembly.GetTypes().Where(t => t.IsClass && typeof(ITransitionEvent).IsAssignableFrom(t)).OrderBy(t => t.Name)
                .Select(type => context.SchemaGenerator.GenerateSchema(type, context.SchemaRepository)).ToList();
            if (doc.Components?.Schemas?.TryGetValue("TimelineEntry", out var entry) == true && entry is OpenApiSchema { Properties: { } properties })
                properties["data"] = new OpenApiSchema { AnyOf = events, Description = "The event: one of the event types, named by `type`." };
        }
    }

    private class TagDescriptions : Swashbuckle.AspNetCore.SwaggerGen.IDocumentFilter
    {
        public void Apply(OpenApiDocument doc, Swashbuckle.AspNetCore.SwaggerGen.DocumentFilterContext context) =>
            doc.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
    }
}
