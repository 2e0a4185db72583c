using System.CommandLine;
using Palisade.Protocol;

namespace Palisade.Commands;

/// <summary>
/// <c>palisade decode MESSAGE</c>: prints a DNS message given as hex, xxd output or base64url (see <see cref="MessageText"/>)
/// in dig's format, or says exactly what is wrong with it.
/// </summary>
internal static class DecodeCommand
{
    public static Command Create()
    {
        var message = new Argument<string>("message")
        {
            Description = "The message in hex (spaces, colons and 0x allowed), as xxd prints it, or in base64url (a DoH ?dns= value or the whole URL); '-' reads it from standard input.",
        };
        var command = new Command("decode", "Print a DNS message given in hex, xxd output or base64url, as dig shows it.") { message };
        command.SetAction(result => Run(result.GetValue(message)!, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string input, TextWriter output, TextWriter error)
    {
        string text = input == "-" ? Console.In.ReadToEnd() : input;
        if (!MessageText.TryRead(text, out byte[]? wire))
        {
            error.WriteLine($"palisade decode: the input is not {MessageText.Forms}.");
            return 2;
        }

        return Print(wire, output, error, "palisade decode") ? 0 : 1;
    }

    /// <summary>Prints <paramref name="wire"/> as dig does, with its size; false, having said why, when it is malformed.</summary>
    public static bool Print(byte[] wire, TextWriter output, TextWriter error, string command)
    {
        ArgumentNullException.ThrowIfNull(wire);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            output.Write(DnsMessage.Parse(wire).ToString());
            output.WriteLine($";; MSG SIZE: {wire.Length}");
            return true;
        }
        catch (DnsProtocolException exception)
        {
            error.WriteLine($"{command}: malformed DNS message: {exception.Message}.");
            return false;
        }
    }
}
