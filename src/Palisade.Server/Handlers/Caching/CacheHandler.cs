using System.Buffers;
using Palisade.Protocol;
using Palisade.Server.Caching;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Handlers.Caching;

/// <summary>
/// Answers from the cache when it can; otherwise asks the next handler and stores what the upstreams said. An expired
/// entry is served (TTL 30, Extended DNS Error 3 "Stale Answer") only when the upstreams fail (RFC 8767); a popular
/// entry close to expiry is refreshed in the background, so that no client waits for it.
/// </summary>
/// <param name="cache">The cache.</param>
/// <param name="next">The next handler.</param>
/// <param name="background">The pipeline generation's work counter: a prefetch holds the generation (and so the
/// upstreams it asks) open until it ends, and none starts once the generation is retired.</param>
public sealed class CacheHandler(ResponseCache cache, IQueryHandler next, WorkCounter? background = null) : IQueryHandler
{
    public async ValueTask<QueryResult> HandleAsync(QueryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        byte[] key = ArrayPool<byte>.Shared.Rent(CacheKey.MaxLength);
        byte[]? cached = null;
        try
        {
            if (!CacheKey.TryCreate(context.Query.Span, key, out int keyLength))
            {
                return await next.HandleAsync(context).ConfigureAwait(false);
            }

            cached = ArrayPool<byte>.Shared.Rent(DnsConstants.MaxMessageSize);
            var lookup = cache.Lookup(key.AsSpan(0, keyLength), cached, out int cachedLength);
            if (lookup.Status == CacheStatus.Fresh)
            {
                if (lookup.ShouldPrefetch && (background is null || background.TryEnter()))
                {
                    _ = RefreshAsync(context.CopyForBackground(context.Cancellation), key.AsSpan(0, keyLength).ToArray());
                }

                return Hit(context, ref cached, cachedLength, AnswerSource.Cache);
            }

            if (lookup.Status == CacheStatus.Miss)
            {
                // Not held across the upstream round trip: thousands of queries may be waiting at once.
                ArrayPool<byte>.Shared.Return(cached);
                cached = null;
            }

            var result = await next.HandleAsync(context).ConfigureAwait(false);

            // RFC 8767: the upstreams failing, whether they said so (SERVFAIL, REFUSED) or said nothing, is when a
            // stale answer is better than none.
            if (lookup.Status == CacheStatus.Stale && !result.IsDrop &&
                result.ResponseCode is DnsResponseCode.ServerFailure or DnsResponseCode.Refused)
            {
                result.Release();
                return Hit(context, ref cached, cachedLength, AnswerSource.Stale);
            }

            if (result.Source == AnswerSource.Upstream)
            {
                cache.TryStore(key.AsSpan(0, keyLength), result.Response);
            }

            return result;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(key);
            if (cached is not null)
            {
                ArrayPool<byte>.Shared.Return(cached);
            }
        }
    }

    /// <summary>The cached answer as the client's: its ID and its question's letter case; the buffer passes to the result.</summary>
    private static QueryResult Hit(QueryContext context, ref byte[]? cached, int length, AnswerSource source)
    {
        byte[] buffer = cached!;
        cached = null;
        DnsMessagePatcher.SetId(buffer, context.Header.Id);
        DnsMessagePatcher.TryCopyQuestionCase(buffer, context.Query.Span);
        return QueryResult.FromPooled(buffer, length, source, source == AnswerSource.Stale ? ExtendedDnsErrorCode.StaleAnswer : null);
    }

    /// <summary>
    /// Asks the upstreams again for a query just answered from the cache, and stores the new answer. It gets a copy of
    /// the query's context: the listener reuses the original as soon as the cached answer is sent.
    /// </summary>
    private async Task RefreshAsync(QueryContext context, byte[] key)
    {
        try
        {
            await Task.Yield();
            QueryResult result;
            try
            {
                result = await next.HandleAsync(context).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // A failed prefetch changes nothing: the entry simply expires as it would have.
                return;
            }

            try
            {
                if (result.Source == AnswerSource.Upstream)
                {
                    cache.TryStore(key, result.Response);
                }
            }
            finally
            {
                result.Release();
            }
        }
        finally
        {
            background?.Leave();
        }
    }
}
