using System.Diagnostics;
using Palisade.Protocol.Tests.Properties;

namespace Palisade.Protocol.Tests.Malformed;

/// <summary>
/// Feeds one input to every reader of the library. <see cref="DnsMessage.Parse"/> may only throw
/// <see cref="DnsProtocolException"/>; the hot-path readers (walker, inspector, patcher, response factory) may only say
/// false. Any other exception fails the test with the input in hex, so that it can be replayed.
/// </summary>
internal static class MalformedHarness
{
    /// <summary>Generous: a call that loops would take far longer, a slow machine's first call somewhat.</summary>
    private static readonly TimeSpan MaxTimePerInput = TimeSpan.FromSeconds(2);

    private static readonly DnsResponseCode[] Codes =
    [
        DnsResponseCode.FormatError, DnsResponseCode.ServerFailure, DnsResponseCode.NameError, DnsResponseCode.NotImplemented, DnsResponseCode.Refused,
    ];

    /// <summary>Parses; null when a <see cref="DnsProtocolException"/> said the input is malformed.</summary>
    public static DnsMessage? Parse(byte[] input)
    {
        try
        {
            return DnsMessage.Parse(input);
        }
        catch (DnsProtocolException e)
        {
            Assert.NotEqual(DnsReadError.None, e.Error);
            Assert.InRange(e.Offset, 0, input.Length);
            return null;
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"DnsMessage.Parse threw {e.GetType().Name} for {Convert.ToHexString(input)}:\n{e}");
            return null;
        }
    }

    /// <summary>Every reader on one input: only <see cref="DnsProtocolException"/> or false may come out, and promptly.</summary>
    public static DnsMessage? ExerciseAll(byte[] input)
    {
        var watch = Stopwatch.StartNew();
        var message = Parse(input);
        ExerciseHotPath(input);
        ExerciseGeneralReader(input);
        Assert.True(watch.Elapsed < MaxTimePerInput, $"{watch.Elapsed} for {Convert.ToHexString(input)}");
        return message;
    }

    /// <summary>The walker's verdict on the whole input.</summary>
    public static DnsReadError Walk(byte[] input)
    {
        var walker = new DnsRecordWalker(input);
        int records = 0;
        while (walker.TryNext(out var slot))
        {
            Assert.InRange(slot.NameOffset, DnsConstants.HeaderSize, input.Length - 1);
            Assert.InRange(slot.TtlOffset, slot.NameOffset + 3, input.Length - 6);
            Assert.Equal(slot.TtlOffset + 6, slot.DataOffset);
            Assert.InRange(slot.DataOffset + slot.DataLength, slot.DataOffset, input.Length);
            Assert.InRange(++records, 1, 3 * ushort.MaxValue);
        }

        Assert.False(walker.TryNext(out _));
        return walker.Error;
    }

    private static void ExerciseHotPath(byte[] input)
    {
        try
        {
            Walk(input);

            var reader = new DnsMessageReader(input);
            byte[] name = new byte[DnsConstants.MaxNameLength];
            if (reader.TryReadHeader(out var header))
            {
                for (int i = 0; i < header.QuestionCount && reader.TryReadQuestion(name, out var question); i++)
                {
                    Assert.InRange(question.NameLength, 1, DnsConstants.MaxNameLength);
                    _ = DnsName.FromWire(name.AsSpan(0, question.NameLength));
                }
            }

            ushort[] offsets = new ushort[512];
            if (DnsMessageInspector.TryFindTtlOffsets(input, offsets, out int count))
            {
                byte[] copy = (byte[])input.Clone();
                DnsMessagePatcher.SubtractFromTtls(copy, offsets.AsSpan(0, count), 100);
                DnsMessagePatcher.SetTtls(copy, offsets.AsSpan(0, count), 30);
            }

            DnsMessageInspector.TryGetMinimumAnswerTtl(input, out _);
            DnsMessageInspector.TryGetNegativeTtl(input, out _);
            bool hasOpt = DnsMessageInspector.TryGetOpt(input, out var opt);
            if (hasOpt)
            {
                Assert.InRange(opt.DataOffset + opt.DataLength, opt.DataOffset, input.Length);
            }

            byte[] target = (byte[])input.Clone();
            DnsMessagePatcher.TryCopyQuestionCase(target, input);
            DnsMessagePatcher.TryCopyQuestionCase(target, SampleMessages.All["query"]);
            DnsMessagePatcher.TryCopyQuestionCase((byte[])SampleMessages.All["query"].Clone(), input);
            if (target.Length >= 2)
            {
                DnsMessagePatcher.SetId(target, 7);
            }

            foreach (var code in Codes)
            {
                WriteResponse(input, code, null);
            }

            WriteResponse(input, DnsResponseCode.ServerFailure, ExtendedDnsErrorCode.NetworkError);
            if (hasOpt)
            {
                WriteResponse(input, DnsResponseCode.BadCookie, ExtendedDnsErrorCode.Other);
            }
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"A hot-path reader threw {e.GetType().Name} for {Convert.ToHexString(input)}:\n{e}");
        }
    }

    /// <summary>The response the factory writes must itself be a well-formed message.</summary>
    private static void WriteResponse(byte[] input, DnsResponseCode code, ExtendedDnsErrorCode? ede)
    {
        byte[] small = new byte[DnsConstants.HeaderSize + 3];
        DnsResponseFactory.TryWriteResponse(input, code, small, out _, ede);

        byte[] destination = new byte[DnsConstants.ClassicUdpPayloadSize];
        if (!DnsResponseFactory.TryWriteResponse(input, code, destination, out int written, ede))
        {
            Assert.True(input.Length < DnsConstants.HeaderSize, $"no response to {Convert.ToHexString(input)}");
            return;
        }

        byte[] response = destination[..written];
        DnsMessage parsed;
        try
        {
            parsed = DnsMessage.Parse(response);
        }
        catch (DnsProtocolException e)
        {
            Assert.Fail($"TryWriteResponse({code}) wrote {Convert.ToHexString(response)}, which does not parse ({e.Message}), for {Convert.ToHexString(input)}");
            return;
        }

        Assert.Equal(code, parsed.ResponseCode);
        Assert.True(parsed.Header.IsResponse);
        Assert.InRange(parsed.Questions.Count, 0, 1);
    }

    /// <summary>The throwing reader, record by record without typing the data: only its own exception may come out.</summary>
    private static void ExerciseGeneralReader(byte[] input)
    {
        try
        {
            var reader = new DnsMessageReader(input);
            var header = reader.ReadHeader();
            for (int i = 0; i < header.QuestionCount; i++)
            {
                reader.ReadQuestion();
            }

            int records = header.AnswerCount + header.AuthorityCount + header.AdditionalCount;
            for (int i = 0; i < records; i++)
            {
                reader.SkipRecord();
            }
        }
        catch (DnsProtocolException e)
        {
            Assert.InRange(e.Offset, 0, input.Length);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"DnsMessageReader threw {e.GetType().Name} for {Convert.ToHexString(input)}:\n{e}");
        }
    }

    /// <summary>A message that parsed writes and reads back to the same message.</summary>
    public static void AssertRoundTrips(DnsMessage message, byte[] input)
    {
        byte[] written;
        try
        {
            written = message.ToArray();
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"ToArray threw {e.GetType().Name} for the message read from {Convert.ToHexString(input)}:\n{e}");
            return;
        }

        DnsMessage reread;
        try
        {
            reread = DnsMessage.Parse(written);
        }
        catch (DnsProtocolException e)
        {
            Assert.Fail($"Read {Convert.ToHexString(input)}, wrote {Convert.ToHexString(written)}, which does not read back: {e.Message}");
            return;
        }

        MessageAssert.Equal(message, reread);
    }
}
