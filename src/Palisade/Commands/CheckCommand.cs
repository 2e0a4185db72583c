using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Server;
using Palisade.Server.Blocklists;
using Palisade.Server.Blocklists.Matching;
using Palisade.Server.Blocklists.Parsers;
using Palisade.Server.Configuration;

namespace Palisade.Commands;

/// <summary>
/// <c>palisade check DOMAIN</c>: is DOMAIN blocked or allowed, and why: the rule, its list and line, from the lists
/// as stored now (local files and the last downloaded copies), the rules <c>$badfilter</c> cancelled, and whether
/// <c>security.rebindingAllow</c> covers it. Exit 0 when not blocked, 1 when blocked, 2 on an error (a name that is
/// not a domain name, a usage or configuration mistake), so that a script can tell the three apart.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var domain = new Argument<string>("domain") { Description = "The name to check, e.g. ads.example.com." };
        var config = ConfigOption.Create();
        var command = new Command("check", "Say whether a name is blocked or allowed, and by which rule of which list (exit 0 not blocked, 1 blocked, 2 error).") { domain, config };
        command.SetAction(result => Run(result.GetValue(domain)!, result.GetValue(config), result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string text, FileInfo? configFile, TextWriter output, TextWriter error)
    {
        if (!QueryName.TryParse(text, out var domain, out var problem))
        {
            error.WriteLine($"palisade check: {problem}");
            return 2;
        }

        var options = ConfigOption.TryLoad(configFile, ConfigurationOverrides.None, error);
        if (options is null)
        {
            return 2;
        }

        using var manager = PalisadeServer.CreateBlocklists(options, TimeProvider.System, NullLoggerFactory.Instance, out var http);
        using (http)
        {
            if (manager is null)
            {
                output.WriteLine($"{domain}: not blocked (blocking has no lists and no deny rules)");
                WriteRebinding(domain, options.Security, output);
                return 0;
            }

            var set = manager.LoadStored();
            var outcome = set.Decide(domain, out _, out var regex);
            string state = outcome switch
            {
                MatchOutcome.Blocked => "BLOCKED",
                MatchOutcome.Allowed => "allowed",
                _ => "not listed",
            };
            output.WriteLine($"{domain}: {state}");
            string configName = configFile?.FullName ?? "config";
            foreach (var explanation in set.Matcher.ExplainAll(domain))
            {
                output.WriteLine($"  {Describe(explanation.Rule)}: {Cite(set.Lists[explanation.ListIndex], configName)}, line {explanation.Rule.Line}");
            }

            if (regex is not null)
            {
                output.WriteLine($"  {Kind(regex.Rule.Action, regex.Rule.Important)} /{regex.Rule.Pattern}/: {Cite(set.Lists[regex.ListIndex], configName)}, line {regex.Rule.Line}");
            }

            foreach (var cancelled in set.Cancelled.Where(c => c.Covers(domain)))
            {
                output.WriteLine(
                    $"  {Describe(cancelled.Rule!.Value)}: {Cite(set.Lists[cancelled.ListIndex], configName)}, line {cancelled.Rule.Value.Line}: "
                    + $"cancelled by `{cancelled.By}` ($badfilter) in {Cite(set.Lists[cancelled.ByListIndex], configName)}, line {cancelled.ByLine}");
            }

            foreach (var unreadable in set.Unreadable)
            {
                output.WriteLine($"  (list '{unreadable.Name}' is not loaded: cannot read {unreadable.Path}: {unreadable.Reason})");
            }

            foreach (var missing in options.Blocking.Lists.Concat(options.Blocking.AllowLists)
                .Where(l => set.Lists.All(loaded => loaded.Name != l.Name) && set.Unreadable.All(u => u.Name != l.Name)))
            {
                output.WriteLine($"  (list '{missing.Name}' is not loaded: not downloaded yet; run 'palisade lists update')");
            }

            WriteRebinding(domain, options.Security, output);
            return outcome == MatchOutcome.Blocked ? 1 : 0;
        }
    }

    /// <summary>Says when <c>security.rebindingAllow</c> covers the name: its answers may then hold private addresses.</summary>
    private static void WriteRebinding(string domain, SecurityOptions security, TextWriter output)
    {
        var allowed = security.RebindingAllow.FirstOrDefault(a =>
            domain.Equals(a, StringComparison.OrdinalIgnoreCase) || domain.EndsWith("." + a, StringComparison.OrdinalIgnoreCase));
        if (allowed is null)
        {
            return;
        }

        output.WriteLine(security.RebindingProtection
            ? $"  security.rebindingAllow: '{allowed}' covers it: its answers may hold private addresses (rebinding protection lets them through)"
            : $"  security.rebindingAllow: '{allowed}' covers it (rebinding protection is off: every name's answers may hold private addresses)");
    }

    private static string Describe(BlocklistRule rule) =>
        $"{Kind(rule.Action, rule.Important)} {rule.Domain}{(rule.Match == RuleMatch.WithSubdomains ? " and its subdomains" : string.Empty)}";

    private static string Kind(RuleAction action, bool important) =>
        $"{(important ? "important " : string.Empty)}{(action == RuleAction.Allow ? "allow" : "block")}";

    /// <summary><c>list 'ads' (/etc/palisade/ads.txt)</c>; an inline rule names the config file, whose line is cited.</summary>
    private static string Cite(LoadedList list, string configName) =>
        $"list '{list.Name}' ({(list.InlineEntries is null ? list.Source : configName)})";
}
