using System.Buffers.Text;
using Microsoft.AspNetCore.Http;
using Palisade.Protocol;

namespace Palisade.Doh;

/// <summary>
/// Reads the DNS query out of a DNS-over-HTTPS request (RFC 8484 s4.1): GET with <c>?dns=</c> and the query in
/// base64url without padding, or POST with an <c>application/dns-message</c> body. Anything else gets an HTTP error
/// with a one-line reason.
/// </summary>
internal static class DohRequest
{
    public const string MediaType = "application/dns-message";

    /// <summary>The largest query accepted: a query is a header, one question and an OPT record, far under this.</summary>
    public const int MaxQueryLength = 4096;

    /// <summary>The query's octets, or the status and reason to answer with instead.</summary>
    public static async Task<(byte[]? Query, int Status, string? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (HttpMethods.IsGet(request.Method))
        {
            return FromGet(request.Query["dns"]);
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            return (null, StatusCodes.Status405MethodNotAllowed, "use GET with ?dns= or POST");
        }

        var contentType = request.ContentType;
        if (contentType is null || !contentType.Split(';')[0].Trim().Equals(MediaType, StringComparison.OrdinalIgnoreCase))
        {
            return (null, StatusCodes.Status415UnsupportedMediaType, $"the body must be {MediaType}");
        }

        if (request.ContentLength is > MaxQueryLength)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, $"a query is at most {MaxQueryLength} octets");
        }

        var body = new byte[MaxQueryLength + 1];
        int length = 0;
        while (length < body.Length)
        {
            int read = await request.Body.ReadAsync(body.AsMemory(length), cancellation).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        if (length > MaxQueryLength)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, $"a query is at most {MaxQueryLength} octets");
        }

        return Checked(body.AsSpan(0, length).ToArray());
    }

    /// <summary>Decodes <c>?dns=</c>: base64url, padding tolerated though RFC 8484 s6 says to leave it out.</summary>
    public static (byte[]? Query, int Status, string? Problem) FromGet(string? dns)
    {
        if (string.IsNullOrEmpty(dns))
        {
            return (null, StatusCodes.Status400BadRequest, "a GET needs the query in ?dns= (base64url)");
        }

        var text = dns.TrimEnd('=');
        if (text.Length > Base64Url.GetEncodedLength(MaxQueryLength))
        {
            return (null, StatusCodes.Status413PayloadTooLarge, $"a query is at most {MaxQueryLength} octets");
        }

        var query = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        int written;
        try
        {
            // Despite its name, TryDecodeFromChars throws on characters outside the alphabet.
            if (!Base64Url.TryDecodeFromChars(text, query, out written))
            {
                return (null, StatusCodes.Status400BadRequest, "?dns= is not base64url");
            }
        }
        catch (FormatException)
        {
            return (null, StatusCodes.Status400BadRequest, "?dns= is not base64url");
        }

        return Checked(query.AsSpan(0, written).ToArray());
    }

    private static (byte[]? Query, int Status, string? Problem) Checked(byte[] query)
    {
        if (!DnsHeader.TryRead(query, out var header) || header.IsResponse)
        {
            return (null, StatusCodes.Status400BadRequest, "not a DNS query");
        }

        return (query, StatusCodes.Status200OK, null);
    }
}
