using Palisade.Server.Blocklists.Sources;

namespace Palisade.Server.Tests.Blocklists.Sources;

/// <summary>The system's reason a list file cannot be read, as a user looks it up: the C library's text and the errno name.</summary>
public sealed class IoReasonTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-ioreason-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Describe_MissingFile_Enoent()
    {
        var path = Path.Combine(_directory, "missing.txt");
        var exception = Record.Exception(() => File.OpenRead(path));

        Assert.Equal("No such file or directory (ENOENT)", IoReason.Describe(exception!, path));
    }

    [Fact]
    public void Describe_MissingFolder_Enoent()
    {
        var path = Path.Combine(_directory, "no", "such", "list.txt");
        var exception = Record.Exception(() => File.OpenRead(path));

        Assert.Equal("No such file or directory (ENOENT)", IoReason.Describe(exception!, path));
    }

    [Fact]
    public void Describe_Directory_Eisdir()
    {
        var exception = Record.Exception(() => File.OpenRead(_directory));

        Assert.Equal("is a directory, not a file (EISDIR)", IoReason.Describe(exception!, _directory));
    }

    [Fact]
    public void Describe_AccessDenied_Eacces() =>
        Assert.Equal("Permission denied (EACCES)", IoReason.Describe(new UnauthorizedAccessException("Access to the path '/x' is denied."), "/x"));

    [Fact]
    public void Describe_ErrnoInHResult_TextAndName() =>
        Assert.Equal("Input/output error (EIO)", IoReason.Describe(new IOException("x", 5)));
}
