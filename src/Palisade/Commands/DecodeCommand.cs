using System.CommandLine;
using Palisade.Protocol;

namespace Palisade.Commands;

/// <summary><c>palisade decode HEX</c>: prints a DNS message given in hex in dig's format, or says exactly what is wrong with it.</summary>
internal static class DecodeCommand
{
    public static Command Create()
    {
        var hex = new Argument<string>("hex")
        {
            Description = "The message in hexadecimal (spaces and colons allowed); '-' reads it from standard input.",
        };
        var command = new Command("decode", "Print a DNS message given in hex, as dig shows it.") { hex };
        command.SetAction(result => Run(result.GetValue(hex)!, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string input, TextWriter output, TextWriter error)
    {
        string text = input == "-" ? Console.In.ReadToEnd() : input;
        string digits = new([.. text.Where(c => !char.IsWhiteSpace(c) && c != ':')]);
        byte[] wire;
        try
        {
            wire = Convert.FromHexString(digits);
        }
        catch (FormatException)
        {
            error.WriteLine("palisade decode: the input is not hexadecimal (an even number of 0-9, a-f digits).");
            return 2;
        }

        try
        {
            output.Write(DnsMessage.Parse(wire).ToString());
            output.WriteLine($";; MSG SIZE: {wire.Length}");
            return 0;
        }
        catch (DnsProtocolException exception)
        {
            error.WriteLine($"palisade decode: malformed DNS message: {exception.Message}.");
            return 1;
        }
    }
}
