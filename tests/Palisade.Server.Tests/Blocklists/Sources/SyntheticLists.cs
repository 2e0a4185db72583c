using System.Globalization;
using System.Text;

namespace Palisade.Server.Tests.Blocklists.Sources;

/// <summary>Small lists written by the tests.</summary>
internal static class SyntheticLists
{
    /// <summary><paramref name="count"/> adblock rules (<c>||ads-N.example^</c>) under a comment header.</summary>
    public static byte[] Adblock(int count, string prefix = "ads")
    {
        var text = new StringBuilder("! Title: synthetic\n");
        for (var i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"||{prefix}-{i}.example^\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary><paramref name="count"/> hosts lines (<c>0.0.0.0 track-N.example</c>).</summary>
    public static byte[] Hosts(int count)
    {
        var text = new StringBuilder("# hosts\n127.0.0.1 localhost\n");
        for (var i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"0.0.0.0 track-{i}.example\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Only comments and blank lines: a list with no rules.</summary>
    public static byte[] CommentsOnly() => Encoding.UTF8.GetBytes("# nothing here\n\n! still nothing\n<html>\n");
}
