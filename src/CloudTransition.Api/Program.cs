using CloudTransition.Api.Hosting;
using CloudTransition.Api.Security;
using JasperFx;

var builder = WebApplication.CreateBuilder(args);

builder.AddEventStore();
builder.AddApiSecurity();
builder.AddRateLimits();
builder.AddTelemetry();
builder.AddHttpApi();

var app = builder.Build();

app.UseHttpApi();
app.MapHttpApi();

return await app.RunJasperFxCommands(args);

public partial class Program;
