using System.Net;
using System.Text;

namespace CloudTransition.Bench;

/// <summary>
/// A generated SMTP Receive protocol log of realistic shape, streamed as the request body (never held in memory): a week of hourly
/// files from two front-end connectors, several hundred senders — printers relaying anonymously, applications with STARTTLS and
/// AUTH LOGIN on 587, another Exchange server (X-ANONYMOUSTLS), Exchange Online over hybrid, load-balancer probes.
/// </summary>
public sealed class RelayLog(long bytes, int senders = 400) : HttpContent
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    private const string Header = "#Software: Microsoft Exchange Server\r\n#Version: 15.0.0.0\r\n#Log-type: SMTP Receive Protocol Log\r\n" +
                                  "#Date: 2026-11-02T00:00:00.000Z\r\n#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\r\n";

    public long Written { get; private set; }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var random = new Random(42);
        var text = new StringBuilder(1 << 20);
        const long first = 0x08DE000000000000L;
        var (session, at) = (first, Start);
        var step = TimeSpan.FromDays(7) / Math.Max(1, bytes / 1500);
        while (Written < bytes)
        {
            if ((session - first) % 5000 == 0) text.Append(Header); // each "file" of 5,000 sessions opens with its header
            Session(text, random, session++, at);
            at += step;
            if (text.Length < 1 << 19) continue;
            var chunk = Encoding.UTF8.GetBytes(text.ToString());
            await stream.WriteAsync(chunk);
            Written += chunk.Length;
            text.Clear();
        }
    }

    private void Session(StringBuilder log, Random random, long id, DateTimeOffset at)
    {
        var kind = random.Next(100);
        var sender = random.Next(senders);
        var remote = kind switch { < 3 => "10.0.0.6", < 5 => $"40.107.{sender % 250}.{random.Next(1, 250)}", _ => $"10.{sender / 200 + 1}.{sender % 200}.{10 + sender % 7}" };
        var app = kind >= 5 && sender % 4 == 0;
        var port = app ? 587 : 25;
        var connector = app ? @"EXCH01\Client Frontend EXCH01" : @"EXCH01\Default Frontend EXCH01";
        var sequence = 0;
        void Line(string ev, string data, string context = "")
        {
            at = at.AddMilliseconds(7);
            log.Append(at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ")).Append(',').Append(connector).Append(',').Append(id.ToString("X16")).Append(',')
                .Append(sequence++).Append(",10.0.0.5:").Append(port).Append(',').Append(remote).Append(':').Append(40000 + (int)(id % 20000)).Append(',')
                .Append(ev).Append(',').Append(data).Append(',').Append(context).Append("\r\n");
        }
        Line("+", "");
        Line("*", "SMTPSubmit SMTPAcceptAnySender SMTPAcceptAuthoritativeDomainSender AcceptRoutingHeaders", "Set Session Permissions");
        Line(">", "\"220 EXCH01.abc.local Microsoft ESMTP MAIL Service ready at Mon, 02 Nov 2026 08:00:01 +0000\"");
        if (kind is >= 95) { Line("-", "", "Remote"); return; } // a load balancer's probe
        Line("<", kind < 3 ? "EHLO EXCH02.abc.local" : kind < 5 ? "EHLO EUR05-AM6-obe.outbound.protection.outlook.com" : app ? $"EHLO app{sender:000}" : $"EHLO mfp{sender:000}.abc.local");
        Line(">", "250  EXCH01.abc.local Hello [" + remote + "] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS X-ANONYMOUSTLS AUTH NTLM 8BITMIME BINARYMIME CHUNKING");
        if (kind < 3) Line("<", "X-ANONYMOUSTLS");
        if (app)
        {
            Line("<", "STARTTLS");
            Line("*", "", "\"TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384\"");
            Line("<", "AUTH LOGIN");
            Line("*", $@"ABC\svc-app{sender:000}", "authenticated");
        }
        for (var m = random.Next(1, 4); m > 0; m--)
        {
            Line("<", app ? $"MAIL FROM:<app{sender:000}@abc.com>" : $"MAIL FROM:<scanner{sender:000}@abc.com>");
            for (var r = random.Next(1, 4); r > 0; r--)
                Line("<", $"RCPT TO:<user{random.Next(5000)}@{(sender % 10 == 0 && r == 1 ? "partner.example" : "abc.com")}>");
            Line("<", "DATA");
            Line(">", $"250 2.6.0 <{id:X}.{m}@abc.local> [InternalId={id % 100000}] Queued mail for delivery");
        }
        Line("<", "QUIT");
        Line("-", "", "Local");
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
