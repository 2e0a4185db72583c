using System.Net;
using System.Net.Sockets;

namespace Palisade.Tests.Commands;

/// <summary><c>palisade serve</c>'s failures: each a non-zero exit with one line saying what and why.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public void Serve_BadConfig_ExitCode2AndTheLineOfTheMistake()
    {
        string path = Path.Combine(Path.GetTempPath(), $"palisade-{Guid.NewGuid():N}.yml");
        File.WriteAllText(path, "listen: [\"127.0.0.1:15353\"]\nupstreams: [\"udp://127.0.0.1:15354\"]\ncahce:\n  maxSize: 1MB\n");
        try
        {
            var result = PalisadeProcess.Run("serve", "--config", path);
            Assert.Equal(2, result.ExitCode);
            string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(":3:", line, StringComparison.Ordinal);
            Assert.Contains("did you mean 'cache'", line, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("quic://127.0.0.1:853", "quic:// upstreams are not supported")]
    [InlineData("tls://127.0.0.1#not_a_name", "is not a host name")]
    public void Serve_BadUpstream_ExitCode2(string upstream, string reason)
    {
        // Refused while the configuration is read, before anything is started.
        var result = PalisadeProcess.Run("serve", "--listen", "127.0.0.1:15355", "--upstream", upstream);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--upstream", result.Error, StringComparison.Ordinal);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_CertificateThatDoesNotLoad_ExitCode2SayingWhich()
    {
        string directory = Directory.CreateTempSubdirectory("palisade-badcert-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "cert.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
            File.WriteAllText(Path.Combine(directory, "key.pem"), "nothing\n");
            string config = Path.Combine(directory, "palisade.yml");
            File.WriteAllText(
                config,
                $"listen: [\"127.0.0.1:15356\"]\nupstreams: [\"udp://127.0.0.1:9\"]\ntlsListen: [\"127.0.0.1:15357\"]\n" +
                $"tls:\n  certificate: {directory}/cert.pem\n  privateKey: {directory}/key.pem\nblocking:\n  lists: []\ndataDir: {directory}/data\n");

            var result = PalisadeProcess.Run("serve", "--config", config);

            Assert.Equal(2, result.ExitCode);
            string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("palisade: tls", line, StringComparison.Ordinal);
            Assert.Contains("cert.pem", line, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Serve_PortInUse_ExitCode1SayingSo()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)taken.LocalEndPoint!).Port;

        // Blocking off: the default lists are public URLs, and no test may reach beyond this machine.
        string config = Path.Combine(Path.GetTempPath(), $"palisade-{Guid.NewGuid():N}.yml");
        File.WriteAllText(config, "blocking:\n  lists: []\n");
        ProcessResult result;
        try
        {
            result = PalisadeProcess.Run("serve", "--config", config, "--listen", $"127.0.0.1:{port}", "--upstream", "udp://127.0.0.1:9");
        }
        finally
        {
            File.Delete(config);
        }

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"cannot listen on 127.0.0.1:{port} (UDP)", result.Error, StringComparison.Ordinal);
        Assert.Contains("already in use", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ServeHelp_ListsTheOptions()
    {
        var result = PalisadeProcess.Run("serve", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--config", result.Output, StringComparison.Ordinal);
        Assert.Contains("--listen", result.Output, StringComparison.Ordinal);
        Assert.Contains("--upstream", result.Output, StringComparison.Ordinal);
    }
}
