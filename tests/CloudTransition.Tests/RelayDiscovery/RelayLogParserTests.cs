using System.IO.Compression;
using System.Text;
using CloudTransition.Api.RelayDiscovery;
using CloudTransition.Contracts;

namespace CloudTransition.Tests.RelayDiscovery;

public class RelayLogParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    internal const string ReceiveHeader = """
        #Software: Microsoft Exchange Server
        #Version: 15.0.0.0
        #Log-type: SMTP Receive Protocol Log
        #Date: 2026-11-30T08:00:00.000Z
        #Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context
        """;

    private const string TrackingHeader = """
        #Software: Microsoft Exchange Server
        #Version: 15.01.2507.006
        #Log-type: Message Tracking Log
        #Date: 2026-11-30T08:00:00.000Z
        #Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data,transport-traffic-type,log-id,schema-version
        """;

    /// <summary>A scanner relaying anonymously on 25: two messages to the organisation's own recipients, the banner's date quoted for its comma.</summary>
    private const string Scanner = """
        2026-11-30T08:00:01.000Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,0,10.0.0.5:25,10.0.1.50:51234,+,,
        2026-11-30T08:00:01.001Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,1,10.0.0.5:25,10.0.1.50:51234,*,SMTPSubmit SMTPAcceptAnySender SMTPAcceptAuthoritativeDomainSender AcceptRoutingHeaders,Set Session Permissions
        2026-11-30T08:00:01.002Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,2,10.0.0.5:25,10.0.1.50:51234,>,"220 EXCH01.abc.local Microsoft ESMTP MAIL Service ready at Mon, 30 Nov 2026 08:00:01 +0000",
        2026-11-30T08:00:01.010Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,3,10.0.0.5:25,10.0.1.50:51234,<,EHLO mfp-2ndfloor.abc.local,
        2026-11-30T08:00:01.011Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,4,10.0.0.5:25,10.0.1.50:51234,>,250  EXCH01.abc.local Hello [10.0.1.50] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS X-ANONYMOUSTLS AUTH NTLM 8BITMIME BINARYMIME CHUNKING,
        2026-11-30T08:00:01.020Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,5,10.0.0.5:25,10.0.1.50:51234,<,MAIL FROM:<scanner@abc.com>,
        2026-11-30T08:00:01.021Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,6,10.0.0.5:25,10.0.1.50:51234,*,08DE0A1B2C3D4E01;2026-11-30T08:00:01.000Z;1,receiving message
        2026-11-30T08:00:01.022Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,7,10.0.0.5:25,10.0.1.50:51234,>,250 2.1.0 Sender OK,
        2026-11-30T08:00:01.030Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,8,10.0.0.5:25,10.0.1.50:51234,<,RCPT TO:<ann@abc.com>,
        2026-11-30T08:00:01.031Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,9,10.0.0.5:25,10.0.1.50:51234,>,250 2.1.5 Recipient OK,
        2026-11-30T08:00:01.040Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,10,10.0.0.5:25,10.0.1.50:51234,<,DATA,
        2026-11-30T08:00:01.041Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,11,10.0.0.5:25,10.0.1.50:51234,>,354 Start mail input; end with <CRLF>.<CRLF>,
        2026-11-30T08:00:01.300Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,12,10.0.0.5:25,10.0.1.50:51234,>,"250 2.6.0 <a1@mfp-2ndfloor> [InternalId=1, Hostname=EXCH01.abc.local] Queued mail for delivery",
        2026-11-30T08:00:02.020Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,13,10.0.0.5:25,10.0.1.50:51234,<,MAIL FROM:<scanner@abc.com>,
        2026-11-30T08:00:02.030Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,14,10.0.0.5:25,10.0.1.50:51234,<,RCPT TO:<bob@abc.com>,
        2026-11-30T08:00:02.031Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,15,10.0.0.5:25,10.0.1.50:51234,<,RCPT TO:<cy@sales.abc.com> NOTIFY=NEVER,
        2026-11-30T08:00:02.300Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,16,10.0.0.5:25,10.0.1.50:51234,>,250 2.6.0 <a2@mfp-2ndfloor> [InternalId=2] Queued mail for delivery,
        2026-11-30T08:00:02.400Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,17,10.0.0.5:25,10.0.1.50:51234,<,QUIT,
        2026-11-30T08:00:02.401Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,18,10.0.0.5:25,10.0.1.50:51234,-,,Local
        """;

    /// <summary>An application on 587 with STARTTLS and AUTH LOGIN, mailing a customer outside.</summary>
    private const string Application = """
        2026-11-30T09:00:00.000Z,EXCH01\Client Frontend EXCH01,08DE0A1B2C3D4E02,0,10.0.0.5:587,10.0.2.20:60001,+,,
        2026-11-30T09:00:00.010Z,EXCH01\Client Frontend EXCH01,08DE0A1B2C3D4E02,1,10.0.0.5:587,10.0.2.20:60001,<,EHLO erp01,
        2026-11-30T09:00:00.020Z,EXCH01\Client Frontend EXCH01,08DE0A1B2C3D4E02,2,10.0.0.5:587,10.0.2.20:60001,<,STARTTLS,
        2026-11-30T09:00:00.021Z,EXCH01\Client Frontend EXCH01,08DE0A1B2C3D4E02,3,10.0.0.5:587,10.0.2.20:60001,>,220 2.0.0 SMTP server ready,
        2026-11-30T09:00:00.030Z,EXCH01\Client Frontend EXCH01,08DE0A1B2C3D4E02,4,10.0.0.5:587,10.0.2.20:60001,*,,"TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 384 bits"
        2026-11-30T09:00:00.040Z,EXCH01\Client Frontend EXCH01,08DE0A1B2C3D4E02,5,10.0.0.5:587,10.0.2.20:60001,<,EHLO erp01,
        2026-11-30T09:00:00.050Z,EXCH01\Client Frontend EXCH01,08DE0A1B2C3D4E02,6,10.0.0.5:587,10.0.2.20:60001,<,AUTH LOGIN,
        2026-11-30T09:00:00.060Z,EXCH01\Client Frontend EXCH01,08DE0A1B2C3D4E02,7,10.0.0.5:587,10.0.2.20:60001,*,ABC\svc-erp,authenticated
        2026-11-30T09:00:00.061Z,EXCH01\Client Frontend EXCH01,08DE0A1B2C3D4E02,8,10.0.0.5:587,10.0.2.20:60001,>,235 2.7.0 Authentication successful,
        2026-11-30T09:00:00.070Z,EXCH01\Client Frontend EXCH01,08DE0A1B2C3D4E02,9,10.0.0.5:587,10.0.2.20:60001,<,MAIL FROM:<erp@abc.com>,
        2026-11-30T09:00:00.080Z,EXCH01\Client Frontend EXCH01,08DE0A1B2C3D4E02,10,10.0.0.5:587,10.0.2.20:60001,<,RCPT TO:<orders@customer.example>,
        2026-11-30T09:00:00.090Z,EXCH01\Client Frontend EXCH01,08DE0A1B2C3D4E02,11,10.0.0.5:587,10.0.2.20:60001,<,BDAT 2048 LAST,
        2026-11-30T09:00:00.100Z,EXCH01\Client Frontend EXCH01,08DE0A1B2C3D4E02,12,10.0.0.5:587,10.0.2.20:60001,>,250 2.6.0 <b1@erp01> [InternalId=3] Queued mail for delivery,
        2026-11-30T09:00:00.110Z,EXCH01\Client Frontend EXCH01,08DE0A1B2C3D4E02,13,10.0.0.5:587,10.0.2.20:60001,-,,Remote
        """;

    /// <summary>What is no device: another Exchange server, Exchange Online over hybrid, a load balancer's probe, mail from the internet.</summary>
    private const string NotDevices = """
        2026-11-30T10:00:00.000Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E03,0,10.0.0.5:25,10.0.0.6:41000,+,,
        2026-11-30T10:00:00.010Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E03,1,10.0.0.5:25,10.0.0.6:41000,<,EHLO EXCH02.abc.local,
        2026-11-30T10:00:00.020Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E03,2,10.0.0.5:25,10.0.0.6:41000,<,X-ANONYMOUSTLS,
        2026-11-30T10:00:00.030Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E03,3,10.0.0.5:25,10.0.0.6:41000,<,MAIL FROM:<ann@abc.com>,
        2026-11-30T10:00:00.040Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E03,4,10.0.0.5:25,10.0.0.6:41000,<,RCPT TO:<bob@abc.com>,
        2026-11-30T10:00:00.050Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E03,5,10.0.0.5:25,10.0.0.6:41000,-,,Remote
        2026-11-30T10:00:01.000Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E04,0,10.0.0.5:25,40.107.22.51:50000,+,,
        2026-11-30T10:00:01.010Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E04,1,10.0.0.5:25,40.107.22.51:50000,<,EHLO EUR05-AM6-obe.outbound.protection.outlook.com,
        2026-11-30T10:00:01.020Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E04,2,10.0.0.5:25,40.107.22.51:50000,<,MAIL FROM:<dan@abc.com>,
        2026-11-30T10:00:01.030Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E04,3,10.0.0.5:25,40.107.22.51:50000,<,RCPT TO:<bob@abc.com>,
        2026-11-30T10:00:01.040Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E04,4,10.0.0.5:25,40.107.22.51:50000,-,,Remote
        2026-11-30T10:00:02.000Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E05,0,10.0.0.5:25,10.0.0.250:33000,+,,
        2026-11-30T10:00:02.001Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E05,1,10.0.0.5:25,10.0.0.250:33000,-,,Remote
        2026-11-30T10:00:03.000Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E06,0,10.0.0.5:25,203.0.113.9:44000,+,,
        2026-11-30T10:00:03.010Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E06,1,10.0.0.5:25,203.0.113.9:44000,<,EHLO mail.partner.example,
        2026-11-30T10:00:03.020Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E06,2,10.0.0.5:25,203.0.113.9:44000,<,MAIL FROM:<quotes@partner.example>,
        2026-11-30T10:00:03.030Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E06,3,10.0.0.5:25,203.0.113.9:44000,<,RCPT TO:<bob@abc.com>,
        2026-11-30T10:00:03.040Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E06,4,10.0.0.5:25,203.0.113.9:44000,-,,Remote
        """;

    private static async Task<(RelayDigest Digest, string Hash)> Read(string body, Func<byte[], Stream>? wrap = null)
    {
        var parser = new RelayLogParser(["abc.com"], Now);
        var bytes = Encoding.UTF8.GetBytes(body);
        var hash = await LogLines.ReadAsync(wrap?.Invoke(bytes) ?? new MemoryStream(bytes), parser, CancellationToken.None);
        return (parser.Finish(), hash);
    }

    private static SenderObservation Sender(RelayDigest digest, string ip) => Assert.Single(digest.Senders, s => s.RemoteIp == ip);

    [Fact]
    public async Task an_anonymous_scanner_is_found_with_its_host_port_connector_and_volumes()
    {
        var (digest, _) = await Read(ReceiveHeader + "\n" + Scanner);
        var scanner = Sender(digest, "10.0.1.50");
        Assert.Equal(("mfp-2ndfloor.abc.local", "10.0.0.5", 25, @"EXCH01\Default Frontend EXCH01"), (scanner.Hostname, scanner.LocalIp, scanner.LocalPort, scanner.Connector));
        Assert.Equal((false, false, false), (scanner.Authenticated, scanner.Tls, scanner.SendsExternal));
        Assert.Equal([new DayVolume(new DateOnly(2026, 11, 30), 2, 3)], scanner.Days);
        Assert.Equal((2, 2), (scanner.PeakMessagesPerMinute, scanner.MaxRecipientsPerMessage));
        Assert.Equal((DateTimeOffset.Parse("2026-11-30T08:00:01.020Z"), DateTimeOffset.Parse("2026-11-30T08:00:02.020Z")), (scanner.FirstSeen, scanner.LastSeen));
        Assert.Equal((0, 1, 2), (digest.Malformed, digest.Sessions, digest.Messages));
    }

    [Fact]
    public async Task an_application_with_starttls_and_auth_login_on_587_sending_outside_is_authenticated_tls_and_external()
    {
        var (digest, _) = await Read(ReceiveHeader + "\n" + Application);
        var app = Sender(digest, "10.0.2.20");
        Assert.Equal((true, "LOGIN", true, true, 587), (app.Authenticated, app.AuthMechanism, app.Tls, app.SendsExternal, app.LocalPort));
        Assert.Equal("erp01", app.Hostname);
    }

    [Fact]
    public async Task exchange_servers_exchange_online_probes_and_inbound_internet_mail_are_no_devices_and_are_counted()
    {
        var (digest, _) = await Read(ReceiveHeader + "\n" + NotDevices);
        Assert.Empty(digest.Senders);
        Assert.Equal(new Excluded(1, 1, 1, 1), digest.Excluded);
        Assert.Equal(0, digest.Malformed);
    }

    [Fact]
    public async Task a_session_split_across_two_files_counts_once_and_headers_repeat_mid_stream()
    {
        var lines = Scanner.Split('\n');
        var body = ReceiveHeader + "\n" + string.Join("\n", lines[..10]) + "\n" + ReceiveHeader + "\n" + string.Join("\n", lines[10..]);
        var (digest, _) = await Read(body);
        var scanner = Sender(digest, "10.0.1.50");
        Assert.Equal(2, scanner.Days.Single().Messages);
        Assert.Equal(1, digest.Sessions);
    }

    [Fact]
    public async Task crlf_a_byte_order_mark_per_file_and_gzip_read_the_same_as_lf()
    {
        var lf = ReceiveHeader + "\n" + Scanner + "\n" + ReceiveHeader + "\n" + Application + "\n";
        var crlf = "\uFEFF" + lf.Replace(ReceiveHeader, "\uFEFF" + ReceiveHeader).TrimStart('\uFEFF').Replace("\n", "\r\n");
        var (plain, _) = await Read(lf);
        var (windows, _) = await Read(crlf);
        Assert.Equal(0, windows.Malformed);
        Assert.Equal(plain.Senders.Select(s => s with { Days = [.. s.Days] }).Select(Json), windows.Senders.Select(Json));
        var (gzipped, _) = await Read(lf, bytes =>
        {
            var compressed = new MemoryStream();
            using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(bytes);
            compressed.Position = 0;
            return new GZipStream(compressed, CompressionMode.Decompress);
        });
        Assert.Equal(plain.Senders.Select(Json), gzipped.Senders.Select(Json));
    }

    private static string Json(SenderObservation s) => System.Text.Json.JsonSerializer.Serialize(s);

    [Fact]
    public async Task the_same_log_hashes_the_same_and_a_changed_byte_does_not()
    {
        var body = ReceiveHeader + "\n" + Scanner;
        Assert.Equal((await Read(body)).Hash, (await Read(body)).Hash);
        Assert.NotEqual((await Read(body)).Hash, (await Read(body.Replace("ann@", "anne@"))).Hash);
    }

    [Fact]
    public async Task a_message_tracking_log_names_the_device_behind_the_front_end_proxy_and_splits_recipients()
    {
        const string lines = """
            2026-11-30T11:00:00.000Z,10.0.0.5,EXCH01.abc.local,10.0.0.5,EXCH01,08DE0A1B2C3D4E07;2026-11-30T11:00:00.000Z;1,EXCH01\Default EXCH01,SMTP,RECEIVE,5001,<c1@app02>,9b1c2d3e-0000-0000-0000-000000000001,ann@abc.com;ops@vendor.example,,4200,2,,,"Nightly report, part 1",app02@abc.com,app02@abc.com,,Originating,,10.0.3.30,10.0.0.5,S:ProxiedClientIPAddress=10.0.3.30;S:ProxiedClientHostname=app02.abc.local;S:DeliveryPriority=Normal,Email,00000000-0000-0000-0000-000000000001,15.01.2507.006
            2026-11-30T11:00:00.500Z,10.0.0.5,EXCH01.abc.local,,,,,STOREDRIVER,DELIVER,5001,<c1@app02>,9b1c2d3e-0000-0000-0000-000000000001,ann@abc.com,,4200,1,,,"Nightly report, part 1",app02@abc.com,app02@abc.com,,Originating,,,,,Email,00000000-0000-0000-0000-000000000001,15.01.2507.006
            2026-11-30T11:01:00.000Z,10.0.0.5,EXCH01.abc.local,10.0.0.5,EXCH01,08DE0A1B2C3D4E08;2026-11-30T11:01:00.000Z;1,EXCH01\Default EXCH01,SMTP,RECEIVE,5002,<c2@app02>,9b1c2d3e-0000-0000-0000-000000000002,ann@abc.com,,4200,1,,,Nightly report,app02@abc.com,app02@abc.com,,Originating,,10.0.3.30,10.0.0.5,S:ProxiedClientIPAddress=10.0.3.30;S:ProxiedClientHostname=app02.abc.local,Email,00000000-0000-0000-0000-000000000002,15.01.2507.006
            """;
        var (digest, _) = await Read(TrackingHeader + "\n" + lines);
        var app = Sender(digest, "10.0.3.30");
        Assert.Equal(("app02.abc.local", true, 2, null), (app.Hostname, app.SendsExternal, app.MaxRecipientsPerMessage, app.Authenticated));
        Assert.Equal(2, app.Days.Single().Messages);
        Assert.Equal([LogKind.MessageTracking], digest.Kinds);
    }

    [Fact]
    public async Task a_message_both_logs_recorded_counts_once()
    {
        const string tracked = """
            2026-11-30T08:00:01.300Z,10.0.0.5,EXCH01.abc.local,10.0.0.5,EXCH01,x;1,EXCH01\Default EXCH01,SMTP,RECEIVE,1,<a1@mfp>,n1,ann@abc.com,,100,1,,,Scan,scanner@abc.com,scanner@abc.com,,Originating,,10.0.1.50,10.0.0.5,S:ProxiedClientIPAddress=10.0.1.50,Email,l1,15.01.2507.006
            2026-11-30T08:00:02.300Z,10.0.0.5,EXCH01.abc.local,10.0.0.5,EXCH01,x;2,EXCH01\Default EXCH01,SMTP,RECEIVE,2,<a2@mfp>,n2,bob@abc.com;cy@sales.abc.com,,100,2,,,Scan,scanner@abc.com,scanner@abc.com,,Originating,,10.0.1.50,10.0.0.5,S:ProxiedClientIPAddress=10.0.1.50,Email,l2,15.01.2507.006
            """;
        var (digest, _) = await Read(ReceiveHeader + "\n" + Scanner + "\n" + TrackingHeader + "\n" + tracked);
        var scanner = Sender(digest, "10.0.1.50");
        Assert.Equal(new DayVolume(new DateOnly(2026, 11, 30), 2, 3), scanner.Days.Single());
        Assert.Equal(25, scanner.LocalPort);
        Assert.Equal([LogKind.SmtpReceive, LogKind.MessageTracking], digest.Kinds);
    }

    [Fact]
    public async Task malformed_lines_are_counted_with_their_numbers_and_the_rest_still_reads()
    {
        var body = "2026-11-30T08:00:00.000Z,before,any,header\n" + ReceiveHeader + "\n" +
                   "yesterday,EXCH01\\Default Frontend EXCH01,08DE0A1B2C3D4E09,0,10.0.0.5:25,10.0.1.51:1,+,,\n" +
                   "2026-11-30T08:00:00.000Z,EXCH01\\Default Frontend EXCH01,08DE0A1B2C3D4E09,0,10.0.0.5:25,10.0.1.51:1,+\n" +
                   "2026-11-30T08:00:00.000Z,EXCH01\\Default Frontend EXCH01,08DE0A1B2C3D4E09,0,10.0.0.5:25,10.0.1.51:1,?,,\n" +
                   "2026-11-30T08:00:00.000Z,EXCH01\\Default Frontend EXCH01,08DE0A1B2C3D4E09,0,10.0.0.5:25,10.0.1.51:1,>,\"unclosed,\n" +
                   "2027-11-30T08:00:00.000Z,EXCH01\\Default Frontend EXCH01,08DE0A1B2C3D4E09,0,10.0.0.5:25,10.0.1.51:1,+,,\n" +
                   "2026-11-30T08:00:00.000Z,EXCH01\\Default Frontend EXCH01,08DE0A1B2C3D4E09,0,10.0.0.5:25,printer,+,,\n" +
                   Scanner;
        var (digest, _) = await Read(body);
        Assert.Equal(7, digest.Malformed);
        Assert.Equal([1L, 7, 8, 9, 10], digest.FirstMalformed.Select(m => m.Line));
        Assert.Contains("before any #Fields", digest.FirstMalformed[0].Problem);
        Assert.Contains("ISO-8601", digest.FirstMalformed[1].Problem);
        Assert.Single(digest.Senders);
    }

    [Fact]
    public async Task a_body_that_is_no_exchange_log_is_given_up_on_early()
    {
        var parser = new RelayLogParser(["abc.com"], Now);
        var body = string.Concat(Enumerable.Repeat("name,address,phone\n", 1_000_000));
        var stream = new MemoryStream(Encoding.UTF8.GetBytes(body));
        await LogLines.ReadAsync(stream, parser, CancellationToken.None);
        Assert.True(parser.GaveUp);
        Assert.True(stream.Position < stream.Length);
        Assert.Empty(parser.Kinds);
    }

    [Fact]
    public async Task the_busiest_minute_and_day_are_found_across_days()
    {
        var lines = new StringBuilder(ReceiveHeader + "\n");
        var session = 0;
        void Message(string at)
        {
            var id = $"08DE0A1B2C3D{session++:X4}";
            foreach (var (ev, data) in new[] { ("+", ""), ("<", "MAIL FROM:<scanner@abc.com>"), ("<", "RCPT TO:<ann@abc.com>"), ("-", "") })
                lines.Append($"{at},EXCH01\\Default Frontend EXCH01,{id},0,10.0.0.5:25,10.0.1.50:1,{ev},{data},\n");
        }
        for (var i = 0; i < 7; i++) Message($"2026-11-29T10:15:{i:00}.000Z");
        for (var i = 0; i < 10; i++) Message($"2026-11-30T{i:00}:00:00.000Z");
        var (digest, _) = await Read(lines.ToString());
        var scanner = Sender(digest, "10.0.1.50");
        Assert.Equal(7, scanner.PeakMessagesPerMinute);
        Assert.Equal([7, 10], scanner.Days.Select(d => d.Messages));
    }
}
