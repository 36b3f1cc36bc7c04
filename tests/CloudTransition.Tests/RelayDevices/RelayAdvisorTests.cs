using CloudTransition.Api.RelayDevices;
using CloudTransition.Contracts;
using static CloudTransition.Contracts.RelayMethod;

namespace CloudTransition.Tests.RelayDevices;

public class RelayAdvisorTests
{
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
        var advice = RelayAdvisor.Advise(new DeviceFacts(canChangePort, smtpAuth, external));

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
        var advice = RelayAdvisor.Advise(new DeviceFacts(false, false, true));
        Assert.Contains(advice.Reasons, r => r.Contains("inherently insecure"));
        Assert.Equal([ConnectorRelay], advice.Alternatives);
    }

    [Theory]
    [InlineData(30, 0)]
    [InlineData(31, 1)]
    public void thirty_messages_a_minute_is_fine_and_thirty_one_is_not(int perMinute, int warnings) =>
        Assert.Equal(warnings, RelayAdvisor.Advise(new DeviceFacts(true, true, true), new DeviceVolumes(null, perMinute, null)).Warnings.Count);

    [Theory]
    [InlineData(10_000, 0)]
    [InlineData(10_001, 1)]
    public void ten_thousand_recipients_a_day_is_the_limit(int perDay, int warnings)
    {
        Assert.Equal(warnings, RelayAdvisor.Advise(new DeviceFacts(true, true, true), new DeviceVolumes(perDay, null, null)).Warnings.Count);
        Assert.Equal(warnings, RelayAdvisor.Advise(new DeviceFacts(true, true, true), new DeviceVolumes(10, null, null, perDay)).Warnings.Count);
    }

    [Theory]
    [InlineData(500, 0)]
    [InlineData(501, 1)]
    public void five_hundred_recipients_a_message_is_the_limit(int recipients, int warnings) =>
        Assert.Equal(warnings, RelayAdvisor.Advise(new DeviceFacts(true, true, true), new DeviceVolumes(null, null, recipients)).Warnings.Count);

    [Fact]
    public void every_broken_limit_and_basic_auth_get_a_warning_each()
    {
        var advice = RelayAdvisor.Advise(new DeviceFacts(true, true, true, BasicAuthOnly: true), new DeviceVolumes(20_000, 45, 800));
        Assert.Equal(4, advice.Warnings.Count);
        Assert.Contains(advice.Warnings, w => w.Contains("basic authentication"));
        Assert.True(RelayAdvisor.OverLimits(new DeviceVolumes(20_000, 45, 800)));
        Assert.False(RelayAdvisor.OverLimits(new DeviceVolumes(10_000, 30, 500)));
    }

    [Fact]
    public void basic_auth_only_matters_only_for_a_device_that_authenticates() =>
        Assert.Empty(RelayAdvisor.Advise(new DeviceFacts(true, false, false, BasicAuthOnly: true)).Warnings);

    [Theory]
    [InlineData(true, false, true, AuthenticatedSubmission587, 587, "SMTP AUTH")]
    [InlineData(true, true, true, DirectSend, 25, "external")]
    [InlineData(false, true, false, AuthenticatedSubmission587, 587, "cannot change its SMTP port")]
    [InlineData(true, true, false, AuthenticatedSubmission587, 465, "465")]
    [InlineData(true, true, false, AuthenticatedSubmission587, 25, "uses port 587")]
    public void a_method_the_device_cannot_use_is_refused_with_the_reason(bool port, bool auth, bool external, RelayMethod method, int onPort, string reason) =>
        Assert.Contains(RelayAdvisor.Refusals(new DeviceFacts(port, auth, external), method, onPort), r => r.Contains(reason));

    [Theory]
    [InlineData(true, true, true, AuthenticatedSubmission587, 587)]
    [InlineData(false, true, true, AuthenticatedPort25, 25)]
    [InlineData(false, false, false, DirectSend, 25)]
    [InlineData(false, false, true, AnonymousRelay, 25)]
    public void a_method_the_device_can_use_is_accepted(bool port, bool auth, bool external, RelayMethod method, int onPort) =>
        Assert.Empty(RelayAdvisor.Refusals(new DeviceFacts(port, auth, external), method, onPort));

    [Theory]
    [InlineData(AuthenticatedSubmission587, "smtp.office365.com", false)]
    [InlineData(DirectSend, "abc-com.mail.protection.outlook.com", false)]
    [InlineData(AuthenticatedPort25, "exch01.abc.local", true)]
    [InlineData(AnonymousRelay, "relay.abc.local", true)]
    public void a_device_sending_anywhere_but_office_365_stays_on_premises(RelayMethod method, string host, bool stays) =>
        Assert.Equal(stays, RelayAdvisor.StaysOnPremises(method, host));
}
