using System.Text;

namespace CloudTransition.IntegrationTests.Fixtures;

/// <summary>Writes SMTP Receive protocol logs as Exchange 2016 does, for tests that discover relaying devices.</summary>
public static class ExchangeLogs
{
    public const string ReceiveHeader = """
        #Software: Microsoft Exchange Server
        #Version: 15.0.0.0
        #Log-type: SMTP Receive Protocol Log
        #Date: 2026-11-01T00:00:00.000Z
        #Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context

        """;

    private static long _sessions = 0x08DE000000000000;

    /// <summary>One session sending one message per recipient list, optionally with STARTTLS and AUTH LOGIN.</summary>
    public static string Session(DateTimeOffset at, string ip, string ehlo, int port, bool auth, string from, params string[][] messages)
    {
        var id = Interlocked.Increment(ref _sessions).ToString("X16");
        var connector = port == 587 ? @"EXCH01\Client Frontend EXCH01" : @"EXCH01\Default Frontend EXCH01";
        var (log, sequence) = (new StringBuilder(), 0);
        void Line(string ev, string data, string context = "")
        {
            at = at.AddMilliseconds(10);
            log.Append($"{at:yyyy-MM-ddTHH:mm:ss.fffZ},{connector},{id},{sequence++},10.0.0.5:{port},{ip}:{50000 + sequence},{ev},{data},{context}\n");
        }
        Line("+", "");
        Line(">", "\"220 EXCH01.abc.local Microsoft ESMTP MAIL Service ready at Mon, 02 Nov 2026 08:00:01 +0000\"");
        Line("<", $"EHLO {ehlo}");
        if (auth)
        {
            Line("<", "STARTTLS");
            Line("*", "", "\"TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384\"");
            Line("<", "AUTH LOGIN");
            Line("*", @"ABC\svc-app", "authenticated");
        }
        foreach (var recipients in messages)
        {
            Line("<", $"MAIL FROM:<{from}>");
            foreach (var r in recipients) Line("<", $"RCPT TO:<{r}>");
            Line("<", "DATA");
            Line(">", $"250 2.6.0 <{Guid.NewGuid():N}@{ehlo}> [InternalId=1] Queued mail for delivery");
        }
        Line("<", "QUIT");
        Line("-", "", "Local");
        return log.ToString();
    }
}
