namespace Palisade.Server.Configuration;

/// <summary>
/// Makes the relative paths written in a configuration file relative to that file's folder, as nginx and systemd do
/// with their roots: <c>lists/ads.txt</c> and <c>dataDir: ./data</c> then mean the same whatever folder
/// <c>palisade</c> is started from (under systemd the working directory is <c>/</c>, where <c>./data</c> would be
/// <c>/data</c>). Paths from the environment and the command line stay relative to the working directory, as a shell
/// user expects; so does the default <c>dataDir</c> when there is no file.
/// </summary>
internal static class ConfigPaths
{
    /// <summary>Every key whose value is, or holds, a local path. A new path key is added here.</summary>
    public static IReadOnlyList<string> Keys { get; } =
        ["tls.certificate", "tls.privateKey", "dataDir", "blocking.lists", "blocking.allowLists", "blocking.cacheDir"];

    /// <summary>
    /// <paramref name="options"/> with the relative paths of the keys set in the file (<paramref name="fromFile"/> says
    /// which) made absolute against <paramref name="baseDirectory"/>; <c>dataDir</c> too when no source set it, so that
    /// the data of a configured server sits beside its configuration.
    /// </summary>
    public static PalisadeOptions Resolve(PalisadeOptions options, string baseDirectory, Func<string, bool?> fromFile)
    {
        string? In(string key, string? path) => path is not null && fromFile(key) == true ? Against(baseDirectory, path) : path;

        var blocking = options.Blocking with
        {
            Lists = Sources("blocking.lists", options.Blocking.Lists),
            AllowLists = Sources("blocking.allowLists", options.Blocking.AllowLists),
            CacheDir = In("blocking.cacheDir", options.Blocking.CacheDir),
        };
        return options with
        {
            Tls = options.Tls with
            {
                Certificate = In("tls.certificate", options.Tls.Certificate),
                PrivateKey = In("tls.privateKey", options.Tls.PrivateKey),
            },

            // Not set anywhere (null): the default, beside the file. Set in the environment (false): as written.
            DataDir = fromFile("dataDir") != false ? Against(baseDirectory, options.DataDir) : options.DataDir,
            Blocking = blocking,
        };

        IReadOnlyList<BlocklistSourceOptions> Sources(string key, IReadOnlyList<BlocklistSourceOptions> lists) =>
            fromFile(key) == true
                ? lists.Select(l => l.IsRemote ? l : l with { Source = Against(baseDirectory, l.Source) }).ToList().AsReadOnly()
                : lists;
    }

    /// <summary><paramref name="path"/> made absolute against <paramref name="baseDirectory"/> when it is relative, normalised (<c>./</c> and <c>../</c> gone).</summary>
    public static string Against(string baseDirectory, string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));
}
