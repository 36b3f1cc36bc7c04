using CloudTransition.Api.RelayDevices;
using CloudTransition.Contracts;
using static CloudTransition.Contracts.RelayMethod;

namespace CloudTransition.Tests.RelayDevices;

public class RelayAdvisorTests
{
    /// <summary>A day before Microsoft's SMTP AUTH change, under a tenant that decided nothing.</summary>
    private static readonly RelayDay Summer = new(new DateOnly(2026, 6, 1), RelayPolicy.Default);

    [Theory]
    //          port   auth   external  method                       remains on-prem
    [InlineData(true, true, true, AuthenticatedSubmission587, false)]
    [InlineData(true, true, false, AuthenticatedSubmission587, false)]
    [InlineData(false, true, true, AuthenticatedPort25, false)]
    [InlineData(false, true, false, AuthenticatedPort25, false)]
    [InlineData(true, false, false, DirectSend, false)]
    [InlineData(false, false, false, DirectSend, false)]
    [InlineData(true, false, true, ConnectorRelay, false)]
    [InlineData(false, false, true, AnonymousRelay, true)]
    public void each_combination_of_the_three_facts_gets_its_method(bool canChangePort, bool smtpAuth, bool external, RelayMethod method, bool remains)
    {
        var advice = RelayAdvisor.Advise(new DeviceFacts(canChangePort, smtpAuth, external), null, Summer);

        Assert.Equal(method, advice.Method);
        Assert.Equal(remains, advice.RemainsOnPremises);
        Assert.NotEmpty(advice.Reasons);
        Assert.DoesNotContain(advice.Method, advice.Alternatives);
        var offered = advice.Alternatives.Append(advice.Method).ToList();
        if (!smtpAuth) Assert.DoesNotContain(offered, m => m is AuthenticatedSubmission587 or AuthenticatedPort25);
        if (external) Assert.DoesNotContain(DirectSend, offered);
        if (!canChangePort) Assert.DoesNotContain(AuthenticatedSubmission587, offered);
    }

    [Fact]
    public void the_anonymous_relay_case_explains_the_risk_and_the_connector_alternative()
    {
        var advice = RelayAdvisor.Advise(new DeviceFacts(false, false, true), null, Summer);
        Assert.Contains(advice.Reasons, r => r.Contains("inherently insecure"));
        Assert.Equal([ConnectorRelay], advice.Alternatives);
    }

    [Theory]
    [InlineData(30, 0)]
    [InlineData(31, 1)]
    public void thirty_messages_a_minute_is_fine_and_thirty_one_is_not(int perMinute, int warnings) =>
        Assert.Equal(warnings, RelayAdvisor.Advise(new DeviceFacts(true, true, true), new DeviceVolumes(null, perMinute, null), Summer).Warnings.Count);

    [Theory]
    [InlineData(10_000, 0)]
    [InlineData(10_001, 1)]
    public void ten_thousand_recipients_a_day_is_the_limit(int perDay, int warnings)
    {
        Assert.Equal(warnings, RelayAdvisor.Advise(new DeviceFacts(true, true, true), new DeviceVolumes(perDay, null, null), Summer).Warnings.Count);
        Assert.Equal(warnings, RelayAdvisor.Advise(new DeviceFacts(true, true, true), new DeviceVolumes(10, null, null, perDay), Summer).Warnings.Count);
    }

    [Theory]
    [InlineData(500, 0)]
    [InlineData(501, 1)]
    public void five_hundred_recipients_a_message_is_the_limit(int recipients, int warnings) =>
        Assert.Equal(warnings, RelayAdvisor.Advise(new DeviceFacts(true, true, true), new DeviceVolumes(null, null, recipients), Summer).Warnings.Count);

    [Fact]
    public void every_broken_limit_and_basic_auth_get_a_warning_each()
    {
        var advice = RelayAdvisor.Advise(new DeviceFacts(true, true, true, BasicAuthOnly: true), new DeviceVolumes(20_000, 45, 800), Summer);
        Assert.Equal(4, advice.Warnings.Count);
        Assert.Contains(advice.Warnings, w => w.Contains("Works until 2026-12-31"));
        Assert.Equal(new DateOnly(2026, 12, 31), advice.WorksUntil);
        Assert.True(RelayAdvisor.OverLimits(new DeviceVolumes(20_000, 45, 800)));
        Assert.False(RelayAdvisor.OverLimits(new DeviceVolumes(10_000, 30, 500)));
    }

    [Fact]
    public void basic_auth_only_matters_only_for_a_device_that_authenticates() =>
        Assert.Empty(RelayAdvisor.Advise(new DeviceFacts(true, false, false, BasicAuthOnly: true), null, Summer).Warnings);

    [Theory]
    [InlineData(true, false, true, AuthenticatedSubmission587, 587, "SMTP AUTH")]
    [InlineData(true, true, true, DirectSend, 25, "external")]
    [InlineData(false, true, false, AuthenticatedSubmission587, 587, "cannot change its SMTP port")]
    [InlineData(true, true, false, AuthenticatedSubmission587, 465, "465")]
    [InlineData(true, true, false, AuthenticatedSubmission587, 25, "uses port 587")]
    public void a_method_the_device_cannot_use_is_refused_with_the_reason(bool port, bool auth, bool external, RelayMethod method, int onPort, string reason) =>
        Assert.Contains(RelayAdvisor.Refusals(new DeviceFacts(port, auth, external), method, onPort, Summer), r => r.Contains(reason));

    [Theory]
    [InlineData(true, true, true, AuthenticatedSubmission587, 587)]
    [InlineData(false, true, true, AuthenticatedPort25, 25)]
    [InlineData(false, false, false, DirectSend, 25)]
    [InlineData(false, false, true, AnonymousRelay, 25)]
    public void a_method_the_device_can_use_is_accepted(bool port, bool auth, bool external, RelayMethod method, int onPort) =>
        Assert.Empty(RelayAdvisor.Refusals(new DeviceFacts(port, auth, external), method, onPort, Summer));

    [Theory]
    [InlineData(AuthenticatedSubmission587, "smtp.office365.com", false)]
    [InlineData(DirectSend, "abc-com.mail.protection.outlook.com", false)]
    [InlineData(AuthenticatedPort25, "exch01.abc.local", true)]
    [InlineData(AnonymousRelay, "relay.abc.local", true)]
    public void a_device_sending_anywhere_but_office_365_stays_on_premises(RelayMethod method, string host, bool stays) =>
        Assert.Equal(stays, RelayAdvisor.StaysOnPremises(method, host));

    private static readonly DateOnly November = new(2026, 11, 15), January = new(2027, 1, 15);
    private static RelayDay On(DateOnly day, RelayPolicy? policy = null) => new(day, policy ?? RelayPolicy.Default);

    [Fact]
    public void a_basic_auth_only_device_is_moved_off_smtp_auth_within_ninety_days_of_its_end_and_after_it()
    {
        var facts = new DeviceFacts(CanChangePort: true, SupportsSmtpAuth: true, SendsExternal: false, BasicAuthOnly: true);
        Assert.Equal(AuthenticatedSubmission587, RelayAdvisor.Advise(facts, null, Summer).Method);
        foreach (var day in new[] { November, January })
        {
            var advice = RelayAdvisor.Advise(facts, null, On(day));
            Assert.Equal(HighVolumeEmail, advice.Method);
            Assert.Equal([DirectSend, ConnectorRelay], advice.Alternatives);
            Assert.Contains(advice.Reasons, r => r.Contains("MC786329"));
            Assert.Null(advice.WorksUntil);
        }
        var external = facts with { SendsExternal = true };
        var outside = RelayAdvisor.Advise(external, null, On(January));
        Assert.Equal(AzureCommunicationServices, outside.Method);
        Assert.Equal([ConnectorRelay], outside.Alternatives);
        Assert.Equal(ConnectorRelay, RelayAdvisor.Advise(external with { CanChangePort = false }, null, On(November)).Method);
    }

    [Fact]
    public void a_device_with_oauth_or_a_tenant_that_kept_basic_auth_on_keeps_authenticated_submission()
    {
        var oauth = new DeviceFacts(true, true, true, BasicAuthOnly: false);
        var advice = RelayAdvisor.Advise(oauth, null, On(January));
        Assert.Equal((AuthenticatedSubmission587, null), (advice.Method, advice.WorksUntil));
        Assert.Empty(advice.Warnings);

        var kept = RelayAdvisor.Advise(oauth with { BasicAuthOnly = true }, null, On(January, new RelayPolicy(null, BasicAuthReenabled: true)));
        Assert.Equal(AuthenticatedSubmission587, kept.Method);
        Assert.Contains(kept.Warnings, w => w.Contains("second half of 2027"));
    }

    [Fact]
    public void a_tenant_that_rejects_direct_send_gets_no_direct_send_from_that_day()
    {
        var printer = new DeviceFacts(CanChangePort: false, SupportsSmtpAuth: false, SendsExternal: false);
        var rejecting = new RelayPolicy(RejectsDirectSendSince: November, BasicAuthReenabled: false);
        Assert.Equal(DirectSend, RelayAdvisor.Advise(printer, null, On(November.AddDays(-120), rejecting)).Method);
        var advice = RelayAdvisor.Advise(printer, null, On(November, rejecting));
        Assert.Equal(ConnectorRelay, advice.Method);
        Assert.DoesNotContain(DirectSend, advice.Alternatives);
        Assert.Contains(RelayAdvisor.Refusals(printer, DirectSend, 25, On(January, rejecting)), r => r.Contains("RejectDirectSend"));
    }

    [Fact]
    public void re_pointing_a_basic_auth_only_device_to_smtp_auth_after_the_change_is_refused_and_the_new_methods_have_their_own_rules()
    {
        var facts = new DeviceFacts(true, true, true, BasicAuthOnly: true);
        Assert.Empty(RelayAdvisor.Refusals(facts, AuthenticatedSubmission587, 587, On(November)));
        Assert.Contains(RelayAdvisor.Refusals(facts, AuthenticatedSubmission587, 587, On(January)), r => r.Contains("MC786329"));
        Assert.Contains(RelayAdvisor.Refusals(facts, HighVolumeEmail, 587, On(January)), r => r.Contains("own recipients"));
        Assert.Contains(RelayAdvisor.Refusals(facts, AzureCommunicationServices, 25, On(January)), r => r.Contains("587"));
        Assert.Empty(RelayAdvisor.Refusals(facts, AzureCommunicationServices, 587, On(January)));
        Assert.False(RelayAdvisor.StaysOnPremises(AzureCommunicationServices, "smtp.azurecomm.net"));
    }
}
