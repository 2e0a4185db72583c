using System.Net;
using Palisade.Server.Configuration;
using static Palisade.Server.Tests.Configuration.ConfigurationTestHelpers;

namespace Palisade.Server.Tests.Configuration;

public sealed class BlockingConfigurationTests
{
    private const string StevenBlack = "https://raw.githubusercontent.com/StevenBlack/hosts/master/hosts";
    private const string HaGeZiPro = "https://raw.githubusercontent.com/hagezi/dns-blocklists/main/adblock/pro.txt";

    private const string EveryBlockingKey = """
        dataDir: /var/lib/palisade
        blocking:
          lists:
            - https://example.com/hosts.txt
            - /etc/palisade/local.txt
            - source: http://lists.example.net/ads/domains.txt
              name: ads
              subdomains: true
            - { source: ./more.txt, subdomains: false }
          allowLists:
            - https://example.com/allow.txt
            - { source: ./allow-local.txt, name: mine, subdomains: yes }
          allow:
            - good.example.com
            - "@@||cdn.example.com^"
          deny: ["bad.example.com", "||tracker.example^$important"]
          refreshInterval: 6h
          cacheDir: /var/cache/palisade-lists
          response:
            ipv4: 192.0.2.1
            ipv6: "2001:db8::1"
          blockedTtl: 1m
          cnameInspection: false
        """;

    // ---- defaults ----

    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = Load(string.Empty);

        Assert.Equal("./data", options.DataDir);
        Assert.Equal(
            [
                new BlocklistSourceOptions(StevenBlack, "raw.githubusercontent.com/StevenBlack/hosts/master/hosts", false),
                new BlocklistSourceOptions(HaGeZiPro, "raw.githubusercontent.com/hagezi/dns-blocklists/main/adblock/pro.txt", false),
            ],
            options.Blocking.Lists);
        Assert.All(options.Blocking.Lists, l => Assert.True(l.IsRemote));
        Assert.Empty(options.Blocking.AllowLists);
        Assert.Empty(options.Blocking.Allow);
        Assert.Empty(options.Blocking.Deny);
        Assert.Equal(TimeSpan.FromHours(24), options.Blocking.RefreshInterval);
        Assert.Null(options.Blocking.CacheDir);
        Assert.Equal(Path.Combine("./data", "lists"), options.BlocklistCacheDir);
        Assert.Equal(BlockingResponseOptions.NullIp, options.Blocking.Response);
        Assert.Equal(BlockingResponseMode.NullIp, options.Blocking.Response.Mode);
        Assert.Null(options.Blocking.Response.IPv4);
        Assert.Null(options.Blocking.Response.IPv6);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Blocking.BlockedTtl);
        Assert.True(options.Blocking.CnameInspection);
        Assert.Equal(new BlockingOptions(), options.Blocking);
    }

    [Fact]
    public void BlockingOptions_CompareListsByValue()
    {
        var a = new BlockingOptions { Lists = [BlocklistSourceOptions.FromSource("./a.txt")], Deny = ["x.example"] };
        var b = new BlockingOptions { Lists = [BlocklistSourceOptions.FromSource("./a.txt")], Deny = ["x.example"] };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { Deny = ["y.example"] });
        Assert.NotEqual(a, b with { Lists = [] });
        Assert.NotEqual(a, b with { Response = BlockingResponseOptions.Refused });
    }

    // ---- every key and form ----

    [Fact]
    public void EveryKey_IsReadFromYaml()
    {
        var options = Load(EveryBlockingKey);
        var blocking = options.Blocking;

        Assert.Equal("/var/lib/palisade", options.DataDir);
        Assert.Equal(
            [
                new BlocklistSourceOptions("https://example.com/hosts.txt", "example.com/hosts.txt", false),
                new BlocklistSourceOptions("/etc/palisade/local.txt", "local.txt", false),
                new BlocklistSourceOptions("http://lists.example.net/ads/domains.txt", "ads", true),
                new BlocklistSourceOptions("./more.txt", "more.txt", false),
            ],
            blocking.Lists);
        Assert.Equal([true, false, true, false], blocking.Lists.Select(l => l.IsRemote));
        Assert.Equal(
            [
                new BlocklistSourceOptions("https://example.com/allow.txt", "example.com/allow.txt", false),
                new BlocklistSourceOptions("./allow-local.txt", "mine", true),
            ],
            blocking.AllowLists);
        Assert.Equal(["good.example.com", "@@||cdn.example.com^"], blocking.Allow);
        Assert.Equal(["bad.example.com", "||tracker.example^$important"], blocking.Deny);
        Assert.Equal(TimeSpan.FromHours(6), blocking.RefreshInterval);
        Assert.Equal("/var/cache/palisade-lists", blocking.CacheDir);
        Assert.Equal("/var/cache/palisade-lists", options.BlocklistCacheDir);
        Assert.Equal(
            new BlockingResponseOptions(BlockingResponseMode.CustomIp, IPAddress.Parse("192.0.2.1"), IPAddress.Parse("2001:db8::1")),
            blocking.Response);
        Assert.Equal(TimeSpan.FromMinutes(1), blocking.BlockedTtl);
        Assert.False(blocking.CnameInspection);
    }

    [Fact]
    public void EmptyLists_AreAllowed_AndTurnListBlockingOff()
    {
        var blocking = Load("blocking:\n  lists: []\n  allowLists: []\n  allow: []\n  deny: []\n").Blocking;
        Assert.Empty(blocking.Lists);
        Assert.Empty(blocking.AllowLists);
        Assert.Empty(blocking.Allow);
        Assert.Empty(blocking.Deny);

        Assert.Empty(Load("blocking:\n  lists:\n").Blocking.Lists);
    }

    [Theory]
    [InlineData("nullIp", BlockingResponseMode.NullIp)]
    [InlineData("nxdomain", BlockingResponseMode.NxDomain)]
    [InlineData("NXDOMAIN", BlockingResponseMode.NxDomain)]
    [InlineData("refused", BlockingResponseMode.Refused)]
    [InlineData("nullip", BlockingResponseMode.NullIp)]
    public void Response_Modes(string text, BlockingResponseMode expected)
    {
        var response = Load($"blocking:\n  response: {text}\n").Blocking.Response;
        Assert.Equal(new BlockingResponseOptions(expected), response);
    }

    [Fact]
    public void Response_CustomAddresses_EitherMayBeLeftOut()
    {
        Assert.Equal(
            new BlockingResponseOptions(BlockingResponseMode.CustomIp, IPAddress.Parse("0.0.0.0"), null),
            Load("blocking:\n  response: { ipv4: 0.0.0.0 }\n").Blocking.Response);
        Assert.Equal(
            new BlockingResponseOptions(BlockingResponseMode.CustomIp, null, IPAddress.IPv6Any),
            Load("blocking:\n  response:\n    ipv6: \"::\"\n").Blocking.Response);
    }

    [Theory]
    [InlineData("https://example.com/list.txt", "example.com/list.txt")]
    [InlineData("HTTPS://Example.COM:8443/a%20b/list.txt?x=1", "example.com:8443/a b/list.txt?x=1")]
    [InlineData("https://example.com/", "example.com")]
    [InlineData("/etc/palisade/list.txt", "list.txt")]
    [InlineData("lists/my-list", "my-list")]
    [InlineData(@"C:\lists\mine.txt", "mine.txt")]
    public void ListName_DefaultsToSomethingReadable(string source, string expected)
    {
        Assert.Equal(expected, BlocklistSourceOptions.DefaultName(source));
        Assert.Equal(expected, Load($"blocking:\n  lists: [\"{source.Replace(@"\", @"\\", StringComparison.Ordinal)}\"]\n").Blocking.Lists[0].Name);
    }

    [Fact]
    public void Sources_AreTrimmed_AndNamesToo()
    {
        var list = Load("blocking:\n  lists:\n    - { source: \"  ./a.txt \", name: \" mine \" }\n").Blocking.Lists[0];
        Assert.Equal(new BlocklistSourceOptions("./a.txt", "mine", false), list);
    }

    [Fact]
    public void BlockedTtl_ZeroIsAllowed()
    {
        Assert.Equal(TimeSpan.Zero, Load("blocking:\n  blockedTtl: 0\n").Blocking.BlockedTtl);
    }

    [Fact]
    public void CacheDir_FollowsDataDir_UnlessSet()
    {
        Assert.Equal(Path.Combine("/srv/palisade", "lists"), Load("dataDir: /srv/palisade\n").BlocklistCacheDir);
        Assert.Equal("/tmp/lists", Load("dataDir: /srv/palisade\nblocking:\n  cacheDir: /tmp/lists\n").BlocklistCacheDir);

        // Empty means the default.
        var options = Load("dataDir: /srv/palisade\nblocking:\n  cacheDir:\n");
        Assert.Null(options.Blocking.CacheDir);
        Assert.Equal(Path.Combine("/srv/palisade", "lists"), options.BlocklistCacheDir);
        Assert.Equal("/x/lists", new BlockingOptions().GetCacheDir("/x"));
    }

    [Fact]
    public void InlineRules_MayBeLong_UpTo1024Characters()
    {
        var rule = new string('a', 1020) + ".com";
        Assert.Equal([rule], Load($"blocking:\n  deny: [\"{rule}\"]\n").Blocking.Deny);
    }

    // ---- errors: file, line, key, what is wrong ----

    [Theory]
    [InlineData("ftp://example.com/list.txt", "'ftp://example.com/list.txt' has an unsupported scheme 'ftp://' (use an http:// or https:// URL or a local file path)")]
    [InlineData("file:///etc/list.txt", "'file:///etc/list.txt' has an unsupported scheme 'file://' (use an http:// or https:// URL or a local file path)")]
    [InlineData("https://", "'https://' is not a valid URL")]
    [InlineData("https://exa mple.com/x", "'https://exa mple.com/x' is not a valid URL")]
    public void BadSource_IsReportedAtItsLine(string source, string problem)
    {
        var e = Error($"blocking:\n  lists:\n    - ./ok.txt\n    - \"{source}\"\n");
        Assert.Equal($"palisade.yml:4: blocking.lists: {problem}", e.Message);
        Assert.Equal(4, e.Line);
        Assert.Equal("blocking.lists", e.Key);
    }

    [Fact]
    public void BadSourceField_IsReportedAtTheFieldsLine()
    {
        var e = Error("blocking:\n  allowLists:\n    - source: ./a.txt\n    - name: b\n      source: ftp://example.com/b\n");
        Assert.Equal(
            "palisade.yml:5: blocking.allowLists[1].source: 'ftp://example.com/b' has an unsupported scheme 'ftp://' (use an http:// or https:// URL or a local file path)",
            e.Message);
        Assert.Equal("blocking.allowLists[1].source", e.Key);
    }

    [Fact]
    public void EmptySource_IsReported()
    {
        Assert.Equal(
            "palisade.yml:3: blocking.lists: a list source is empty (use an http:// or https:// URL or a file path)",
            Error("blocking:\n  lists:\n    - \"\"\n").Message);
        Assert.Equal(
            "palisade.yml:3: blocking.lists: a list item is empty",
            Error("blocking:\n  lists:\n    -\n").Message);
        Assert.Equal(
            "palisade.yml:3: blocking.lists[0].source: has no value (remove it to use the default)",
            Error("blocking:\n  lists:\n    - source:\n      name: x\n").Message);
    }

    [Fact]
    public void MappingWithoutSource_IsReported()
    {
        var e = Error("blocking:\n  lists:\n    - name: mine\n      subdomains: true\n");
        Assert.Equal("palisade.yml:3: blocking.lists[0]: has no source (e.g. { source: https://example.com/list.txt, name: example })", e.Message);
    }

    [Fact]
    public void UnknownSubKey_IsReportedWithSuggestion()
    {
        var e = Error("blocking:\n  lists:\n    - ./a.txt\n    - name: b\n      sorce: ./b.txt\n");
        Assert.Equal("palisade.yml:5: unknown key 'blocking.lists[1].sorce' (did you mean 'source'?)", e.Message);
        Assert.Equal(5, e.Line);

        e = Error("blocking:\n  response: { ipv4: 192.0.2.1, ipv7: 192.0.2.2 }\n");
        Assert.Equal("palisade.yml:2: unknown key 'blocking.response.ipv7' (did you mean 'ipv4'?)", e.Message);

        e = Error("blocking:\n  lists:\n    - { source: ./a.txt, comment: nothing }\n");
        Assert.Equal("palisade.yml:3: unknown key 'blocking.lists[0].comment' (known keys: source, name, subdomains)", e.Message);
    }

    [Fact]
    public void UnknownBlockingKey_IsReportedWithSuggestion()
    {
        var e = Error("blocking:\n  blockedTTL: 5s\n");
        Assert.Equal("palisade.yml:2: unknown key 'blocking.blockedTTL' (did you mean 'blocking.blockedTtl'?)", e.Message);

        e = Error("blockign:\n  lists: []\n");
        Assert.Equal("palisade.yml:1: unknown key 'blockign' (did you mean 'blocking'?)", e.Message);
    }

    [Fact]
    public void DuplicateSource_IsReportedAtTheSecondOne()
    {
        var e = Error("blocking:\n  lists:\n    - https://example.com/a.txt\n    - ./b.txt\n    - { source: \"HTTPS://EXAMPLE.com/a.txt\", name: other }\n");
        Assert.Equal("palisade.yml:5: blocking.lists[2]: 'HTTPS://EXAMPLE.com/a.txt' is listed twice", e.Message);

        e = Error("blocking:\n  lists:\n    - ./b.txt\n    - ./b.txt\n");
        Assert.Equal("palisade.yml:4: blocking.lists: './b.txt' is listed twice", e.Message);
    }

    [Fact]
    public void DuplicateName_IsReported()
    {
        var e = Error("blocking:\n  lists:\n    - { source: ./a.txt, name: ads }\n    - source: ./b.txt\n      name: ADS\n");
        Assert.Equal("palisade.yml:4: blocking.lists[1]: the name 'ADS' is already used by './a.txt' (names must be unique)", e.Message);

        e = Error("blocking:\n  lists:\n    - ./one/list.txt\n    - ./two/list.txt\n");
        Assert.Equal(
            "palisade.yml:4: blocking.lists: './two/list.txt' gets the name 'list.txt', which is already used by './one/list.txt' (give one of them a name: { source: ..., name: ... })",
            e.Message);
    }

    [Fact]
    public void ListInBothListsAndAllowLists_IsReported()
    {
        var e = Error("blocking:\n  lists: [./a.txt]\n  allowLists: [./a.txt]\n");
        Assert.Equal("palisade.yml:3: blocking.allowLists: './a.txt' is also in blocking.lists (a list cannot both block and allow)", e.Message);

        e = Error("blocking:\n  lists: [{ source: ./a.txt, name: mine }]\n  allowLists: [{ source: ./b.txt, name: mine }]\n");
        Assert.Equal(
            "palisade.yml:3: blocking.allowLists: the name 'mine' of './b.txt' is already used by './a.txt' in blocking.lists (names must be unique; give one of them a name)",
            e.Message);
    }

    [Fact]
    public void BadListName_IsReported()
    {
        var e = Error("blocking:\n  lists:\n    - source: ./a.txt\n      name: \"\"\n");
        Assert.Equal("palisade.yml:4: blocking.lists[0].name: a list name is empty", e.Message);

        e = Error($"blocking:\n  lists:\n    - source: ./a.txt\n      name: {new string('n', 101)}\n");
        Assert.Equal($"palisade.yml:4: blocking.lists[0].name: '{new string('n', 20)}...' is longer than 100 characters", e.Message);
    }

    [Fact]
    public void BadSubdomains_IsReported()
    {
        var e = Error("blocking:\n  lists:\n    - source: ./a.txt\n      subdomains: maybe\n");
        Assert.Equal("palisade.yml:4: blocking.lists[0].subdomains: 'maybe' is not a boolean (use true or false)", e.Message);
    }

    [Fact]
    public void WrongShapes_AreReported()
    {
        Assert.Equal(
            "palisade.yml:3: blocking.lists: a list item must be a single value or a mapping (source, name, subdomains), got a list",
            Error("blocking:\n  lists:\n    - [./a.txt]\n").Message);
        Assert.Equal(
            "palisade.yml:4: blocking.lists[0].name: expected a single value, got a list",
            Error("blocking:\n  lists:\n    - source: ./a.txt\n      name: [a, b]\n").Message);
        Assert.Equal(
            "palisade.yml:2: blocking.response: expected a single value or a mapping (ipv4, ipv6), got a list",
            Error("blocking:\n  response: [nxdomain]\n").Message);
        Assert.Equal(
            "palisade.yml:2: blocking.lists: expected a list, e.g. blocking.lists: [\"./a.txt\"], got the value './a.txt'",
            Error("blocking:\n  lists: ./a.txt\n").Message);
        Assert.Equal(
            "palisade.yml:3: blocking.deny: a list item must be a single value, got a mapping (quote values with '[' or ': ' in them, like \"[::1]:53\")",
            Error("blocking:\n  deny:\n    - { name: x }\n").Message);
        Assert.Equal(
            "palisade.yml:2: blocking.cacheDir: expected a single value, got a mapping",
            Error("blocking:\n  cacheDir: { path: /x }\n").Message);
    }

    [Fact]
    public void BadResponseMode_ListsTheValidValues()
    {
        var e = Error("blocking:\n  response: nxdomian\n");
        Assert.Equal("palisade.yml:2: blocking.response: 'nxdomian' is not one of nullIp, nxdomain, refused or a mapping { ipv4: ADDR, ipv6: ADDR } (did you mean 'nxdomain'?)", e.Message);
        Assert.Equal("blocking.response", e.Key);

        e = Error("blocking:\n  response: customIp\n");
        Assert.Equal("palisade.yml:2: blocking.response: 'customIp' is not one of nullIp, nxdomain, refused or a mapping { ipv4: ADDR, ipv6: ADDR }", e.Message);

        e = Error("blocking:\n  response:\n");
        Assert.Equal("palisade.yml:2: blocking.response: has no value (remove the key to use the default)", e.Message);
    }

    [Fact]
    public void ResponseAddressOfTheWrongFamily_IsReported()
    {
        var e = Error("blocking:\n  response:\n    ipv6: \"::\"\n    ipv4: \"2001:db8::1\"\n");
        Assert.Equal("palisade.yml:4: blocking.response.ipv4: '2001:db8::1' is not an IPv4 address", e.Message);
        Assert.Equal(4, e.Line);
        Assert.Equal("blocking.response.ipv4", e.Key);

        e = Error("blocking:\n  response: { ipv6: 192.0.2.1 }\n");
        Assert.Equal("palisade.yml:2: blocking.response.ipv6: '192.0.2.1' is not an IPv6 address", e.Message);

        e = Error("blocking:\n  response: { ipv4: blockpage.local }\n");
        Assert.Equal(
            "palisade.yml:2: blocking.response.ipv4: 'blockpage.local' is a hostname, but an IP address is needed (hostnames are not resolved)",
            e.Message);

        e = Error("blocking:\n  response: { ipv4: 1 }\n");
        Assert.Equal("palisade.yml:2: blocking.response.ipv4: '1' is not an IP address", e.Message);
    }

    [Fact]
    public void ResponseMappingWithoutAddresses_IsReported()
    {
        var e = Error("blocking:\n  response: {}\n");
        Assert.Equal("palisade.yml:2: blocking.response: needs ipv4, ipv6 or both (e.g. { ipv4: 0.0.0.0, ipv6: \"::\" })", e.Message);
    }

    [Theory]
    [InlineData("blockedTtl: 1500ms", "palisade.yml:2: blocking.blockedTtl: '1500ms' is not a whole number of seconds (a TTL is counted in seconds)")]
    [InlineData("blockedTtl: 100000d", "palisade.yml:2: blocking.blockedTtl: '100000d' is more than the largest TTL (2147483647s, RFC 2181)")]
    [InlineData("blockedTtl: ten", "palisade.yml:2: blocking.blockedTtl: 'ten' is not a duration (use e.g. 500ms, 5s, 10m, 24h, 1d or 1h30m)")]
    [InlineData("refreshInterval: 0s", "palisade.yml:2: blocking.refreshInterval: '0s' must be more than 0")]
    [InlineData("refreshInterval: 24", "palisade.yml:2: blocking.refreshInterval: '24' has no unit (use e.g. 500ms, 5s, 10m, 24h, 1d or 1h30m)")]
    [InlineData("cnameInspection: sometimes", "palisade.yml:2: blocking.cnameInspection: 'sometimes' is not a boolean (use true or false)")]
    [InlineData("cacheDir: \"  \"", "palisade.yml:2: blocking.cacheDir: a path is empty")]
    public void BadScalar_IsReported(string line, string expected)
    {
        Assert.Equal(expected, Error($"blocking:\n  {line}\n").Message);
    }

    [Fact]
    public void BadDataDir_IsReported()
    {
        Assert.Equal("palisade.yml:1: dataDir: a path is empty", Error("dataDir: \"\"\n").Message);
        Assert.Equal("palisade.yml:1: dataDir: has no value (remove the key to use the default)", Error("dataDir:\n").Message);
    }

    [Theory]
    [InlineData("\"\"", "a rule is empty")]
    [InlineData("\"bad example.com\"", "'bad example.com' has whitespace in it (give one name or rule per item)")]
    [InlineData("\"a.com\\tb.com\"", "'a.com\tb.com' has whitespace in it (give one name or rule per item)")]
    public void BadInlineRule_IsReported(string item, string problem)
    {
        var e = Error($"blocking:\n  allow:\n    - ok.example\n    - {item}\n");
        Assert.Equal($"palisade.yml:4: blocking.allow: {problem}", e.Message);
    }

    [Theory]
    [InlineData("blocking:\n  deny:\n    - ||ads.example^\n")]
    [InlineData("blocking:\n  allow:\n    - @@||cdn.example^\n")]
    public void UnquotedAdblockRule_HintsAtQuoting(string yaml)
    {
        var e = Error(yaml);
        Assert.StartsWith("palisade.yml:3:", e.Message, StringComparison.Ordinal);
        Assert.Contains("YAML syntax error", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("(quote rules that start with '|' or '@', like \"||example.com^\")", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnquotedLeadingColonsAddress_HintsAtQuoting()
    {
        var e = Error("blocking:\n  response:\n    ipv6: ::\n");
        Assert.StartsWith("palisade.yml:3:", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("(quote IPv6 addresses that start with ':', like \"::\")", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InlineRules_TooLongOrTwice_AreReported()
    {
        var rule = new string('a', 1025);
        var e = Error($"blocking:\n  deny: [\"{rule}\"]\n");
        Assert.Equal($"palisade.yml:2: blocking.deny: '{new string('a', 40)}...' is longer than 1024 characters", e.Message);

        e = Error("blocking:\n  deny:\n    - x.example\n    - x.example\n");
        Assert.Equal("palisade.yml:4: blocking.deny: 'x.example' is listed twice", e.Message);
    }

    // ---- environment ----

    [Fact]
    public void Environment_ListItems_AsValuesAndAsFields()
    {
        var options = Load(
            "blocking:\n  lists: [https://example.com/a.txt]\n",
            Env(
                ("PALISADE__BLOCKING__LISTS__0", "/path/list.txt"),
                ("PALISADE__BLOCKING__LISTS__1__SOURCE", "https://example.com/b.txt"),
                ("PALISADE__BLOCKING__LISTS__1__NAME", "bee"),
                ("palisade__blocking__lists__1__subdomains", "true"),
                ("PALISADE__BLOCKING__LISTS__2__SOURCE", "./c.txt")));

        Assert.Equal(
            [
                new BlocklistSourceOptions("/path/list.txt", "list.txt", false),
                new BlocklistSourceOptions("https://example.com/b.txt", "bee", true),
                new BlocklistSourceOptions("./c.txt", "c.txt", false),
            ],
            options.Blocking.Lists);
    }

    [Fact]
    public void Environment_Scalars_AndCommaSeparatedLists()
    {
        var options = Load(
            string.Empty,
            Env(
                ("PALISADE__DATADIR", "/srv/palisade"),
                ("PALISADE__BLOCKING__ALLOWLISTS", "./allow1.txt, https://example.com/allow2.txt"),
                ("PALISADE__BLOCKING__ALLOW__0", "good.example"),
                ("PALISADE__BLOCKING__DENY", "bad.example,worse.example"),
                ("PALISADE__BLOCKING__REFRESHINTERVAL", "12h"),
                ("PALISADE__BLOCKING__RESPONSE", "nxdomain"),
                ("PALISADE__BLOCKING__BLOCKEDTTL", "1m"),
                ("PALISADE__BLOCKING__CNAMEINSPECTION", "off")));

        Assert.Equal("/srv/palisade", options.DataDir);
        Assert.Equal(Path.Combine("/srv/palisade", "lists"), options.BlocklistCacheDir);
        Assert.Equal(["./allow1.txt", "https://example.com/allow2.txt"], options.Blocking.AllowLists.Select(l => l.Source));
        Assert.Equal(["good.example"], options.Blocking.Allow);
        Assert.Equal(["bad.example", "worse.example"], options.Blocking.Deny);
        Assert.Equal(TimeSpan.FromHours(12), options.Blocking.RefreshInterval);
        Assert.Equal(BlockingResponseOptions.NxDomain, options.Blocking.Response);
        Assert.Equal(TimeSpan.FromMinutes(1), options.Blocking.BlockedTtl);
        Assert.False(options.Blocking.CnameInspection);
    }

    [Fact]
    public void Environment_EmptyListVariable_TurnsListsOff_AndEmptyCacheDirMeansTheDefault()
    {
        var options = Load("blocking:\n  cacheDir: /x\n", Env(("PALISADE__BLOCKING__LISTS", ""), ("PALISADE__BLOCKING__CACHEDIR", "")));
        Assert.Empty(options.Blocking.Lists);
        Assert.Null(options.Blocking.CacheDir);
    }

    [Fact]
    public void Environment_ResponseFields_ReplaceTheFilesResponse()
    {
        var options = Load(
            "blocking:\n  response: { ipv4: 192.0.2.1, ipv6: \"2001:db8::1\" }\n",
            Env(("PALISADE__BLOCKING__RESPONSE__IPV4", "0.0.0.0")));
        Assert.Equal(new BlockingResponseOptions(BlockingResponseMode.CustomIp, IPAddress.Any), options.Blocking.Response);

        options = Load(string.Empty, Env(("PALISADE__BLOCKING__RESPONSE__IPV4", "192.0.2.7"), ("Palisade__Blocking__Response__IPv6", "::1")));
        Assert.Equal(
            new BlockingResponseOptions(BlockingResponseMode.CustomIp, IPAddress.Parse("192.0.2.7"), IPAddress.IPv6Loopback),
            options.Blocking.Response);
    }

    [Fact]
    public void Environment_Errors_NameTheVariable()
    {
        var e = Error(string.Empty, Env(("PALISADE__BLOCKING__LISTS__0__SOURCE", "ftp://example.com/x")));
        Assert.Equal(
            "environment PALISADE__BLOCKING__LISTS__0__SOURCE: blocking.lists[0].source: 'ftp://example.com/x' has an unsupported scheme 'ftp://' (use an http:// or https:// URL or a local file path)",
            e.Message);

        e = Error(string.Empty, Env(("PALISADE__BLOCKING__LISTS__0__NAME", "x")));
        Assert.Equal("environment PALISADE__BLOCKING__LISTS__0__NAME: blocking.lists[0]: has no source (e.g. { source: https://example.com/list.txt, name: example })", e.Message);

        e = Error(string.Empty, Env(("PALISADE__BLOCKING__RESPONSE__IPV4", "::1")));
        Assert.Equal("environment PALISADE__BLOCKING__RESPONSE__IPV4: blocking.response.ipv4: '::1' is not an IPv4 address", e.Message);

        e = Error(string.Empty, Env(("PALISADE__BLOCKING__RESPONSE", "blackhole")));
        Assert.StartsWith("environment PALISADE__BLOCKING__RESPONSE: blocking.response: 'blackhole' is not one of nullIp, nxdomain, refused", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_UnknownField_SuggestsTheVariable()
    {
        var e = Error(string.Empty, Env(("PALISADE__BLOCKING__LISTS__1__SORCE", "./a.txt")));
        Assert.Equal("environment PALISADE__BLOCKING__LISTS__1__SORCE: unknown key 'BLOCKING.LISTS.1.SORCE' (did you mean PALISADE__BLOCKING__LISTS__1__SOURCE?)", e.Message);

        e = Error(string.Empty, Env(("PALISADE__BLOCKING__RESPONSE__IPV5", "192.0.2.1")));
        Assert.Equal("environment PALISADE__BLOCKING__RESPONSE__IPV5: unknown key 'BLOCKING.RESPONSE.IPV5' (did you mean PALISADE__BLOCKING__RESPONSE__IPV4?)", e.Message);
    }

    [Fact]
    public void Environment_ConflictingForms_AreRejected()
    {
        var e = Error(string.Empty, Env(("PALISADE__BLOCKING__RESPONSE", "nxdomain"), ("PALISADE__BLOCKING__RESPONSE__IPV4", "0.0.0.0")));
        Assert.Equal("environment PALISADE__BLOCKING__RESPONSE__IPV4: blocking.response: is set both as a whole and by field", e.Message);

        e = Error(string.Empty, Env(("PALISADE__BLOCKING__LISTS__0", "./a.txt"), ("PALISADE__BLOCKING__LISTS__0__NAME", "a")));
        Assert.Equal("environment PALISADE__BLOCKING__LISTS__0__NAME: blocking.lists: item 0 is set both as a whole and by field", e.Message);

        e = Error(string.Empty, Env(("PALISADE__BLOCKING__LISTS__0__NAME", "a"), ("palisade__blocking__lists__0__name", "b")));
        Assert.Equal("environment palisade__blocking__lists__0__name: blocking.lists[0].name: is set by more than one environment variable", e.Message);

        e = Error(string.Empty, Env(("PALISADE__BLOCKING__LISTS", "./a.txt"), ("PALISADE__BLOCKING__LISTS__0__SOURCE", "./b.txt")));
        Assert.Equal("environment PALISADE__BLOCKING__LISTS__0__SOURCE: blocking.lists: is set both as a whole and by index", e.Message);
    }

    [Fact]
    public void Environment_DuplicateAcrossFileAndEnvironment_IsNotAConflict_TheEnvironmentReplacesTheList()
    {
        var options = Load("blocking:\n  lists: [./a.txt]\n", Env(("PALISADE__BLOCKING__LISTS__0", "./a.txt")));
        Assert.Equal(["./a.txt"], options.Blocking.Lists.Select(l => l.Source));
    }

    // ---- display ----

    [Fact]
    public void DisplayLine_SummarisesBlocking()
    {
        var lines = ConfigurationFormatter.ToDisplayLines(Load(EveryBlockingKey));
        Assert.Contains(
            "blocking: 4 lists, 2 allow lists, 4 inline rules; response { ipv4: 192.0.2.1, ipv6: 2001:db8::1 }, TTL 1m, CNAME inspection off, refresh 6h, cache /var/cache/palisade-lists",
            lines);

        lines = ConfigurationFormatter.ToDisplayLines(Load("blocking:\n  lists: [./a.txt]\n  allowLists: [./b.txt]\n  deny: [x.example]\n  response: refused\n"));
        Assert.Contains(
            "blocking: 1 list, 1 allow list, 1 inline rule; response refused, TTL 10s, CNAME inspection on, refresh 1d, cache ./data/lists",
            lines);
    }
}
