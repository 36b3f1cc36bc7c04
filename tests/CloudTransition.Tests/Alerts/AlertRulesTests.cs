using CloudTransition.Api.Alerts;
using CloudTransition.Api.SupportCases;
using CloudTransition.Contracts;

namespace CloudTransition.Tests.Alerts;

public class AlertRulesTests
{
    private static readonly AlertOptions Options = new();

    private static SupportCase Case(CaseSeverity severity, DateTimeOffset opened) => new() { CaseId = "c1", Severity = severity, OpenedAt = opened };

    [Theory]
    // Severity A: two clock hours, at night and at weekends too.
    [InlineData(CaseSeverity.A, "2026-12-05T23:00:00Z", "2026-12-06T01:00:00Z")]
    // B: four business hours (Monday to Friday, 09:00–17:00 UTC); opened Friday 16:00 → one hour Friday, three on Monday.
    [InlineData(CaseSeverity.B, "2026-12-04T16:00:00Z", "2026-12-07T12:00:00Z")]
    // Opened before the day starts: the clock runs from 09:00.
    [InlineData(CaseSeverity.B, "2026-12-02T06:30:00Z", "2026-12-02T13:00:00Z")]
    // C: eight business hours; opened Saturday → all of Monday.
    [InlineData(CaseSeverity.C, "2026-12-05T10:00:00Z", "2026-12-07T17:00:00Z")]
    // C opened Wednesday 12:00: five hours Wednesday, three Thursday.
    [InlineData(CaseSeverity.C, "2026-12-02T12:00:00Z", "2026-12-03T12:00:00Z")]
    public void a_first_response_is_due_after_the_severitys_target(CaseSeverity severity, string opened, string due) =>
        Assert.Equal(DateTimeOffset.Parse(due), AlertRules.FirstResponseDue(Case(severity, DateTimeOffset.Parse(opened)), Options));

    [Fact]
    public void the_targets_are_settings()
    {
        var options = new AlertOptions { SeverityBBusinessHours = 1, BusinessDayStartsAt = 8, BusinessDayEndsAt = 12 };
        Assert.Equal(DateTimeOffset.Parse("2026-12-03T08:30:00Z"), AlertRules.FirstResponseDue(Case(CaseSeverity.B, DateTimeOffset.Parse("2026-12-02T11:30:00Z")), options));
    }
}
