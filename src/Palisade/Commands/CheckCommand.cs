using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Server;
using Palisade.Server.Blocklists.Matching;
using Palisade.Server.Configuration;

namespace Palisade.Commands;

/// <summary>
/// <c>palisade check DOMAIN</c>: is DOMAIN blocked or allowed, and why: the rule, its list and line, from the lists
/// as stored now (local files and the last downloaded copies). Exit 0 when not blocked, 1 when blocked, 2 on an error.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var domain = new Argument<string>("domain") { Description = "The name to check, e.g. ads.example.com." };
        var config = ConfigOption.Create();
        var command = new Command("check", "Say whether a name is blocked or allowed, and by which rule of which list.") { domain, config };
        command.SetAction(result => Run(result.GetValue(domain)!, result.GetValue(config), result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string domain, FileInfo? configFile, TextWriter output, TextWriter error)
    {
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
                return 0;
            }

            var set = manager.LoadStored();
            var outcome = set.Decide(domain, out var verdict, out var regex);
            string state = outcome switch
            {
                MatchOutcome.Blocked => "BLOCKED",
                MatchOutcome.Allowed => "allowed",
                _ => "not listed",
            };
            output.WriteLine($"{domain}: {state}");
            foreach (var explanation in set.Matcher.ExplainAll(domain))
            {
                var list = set.Lists[explanation.ListIndex];
                var rule = explanation.Rule;
                string kind = $"{(rule.Important ? "important " : string.Empty)}{(rule.Action == Palisade.Server.Blocklists.Parsers.RuleAction.Allow ? "allow" : "block")}";
                string scope = rule.Match == Palisade.Server.Blocklists.Parsers.RuleMatch.WithSubdomains ? " and its subdomains" : string.Empty;
                output.WriteLine($"  {kind} {rule.Domain}{scope}: list '{list.Name}' ({list.Source}), line {rule.Line}");
            }

            if (regex is not null)
            {
                var list = set.Lists[regex.ListIndex];
                output.WriteLine($"  {(regex.Rule.Action == Palisade.Server.Blocklists.Parsers.RuleAction.Allow ? "allow" : "block")} /{regex.Rule.Pattern}/: list '{list.Name}' ({list.Source}), line {regex.Rule.Line}");
            }

            foreach (var missing in options.Blocking.Lists.Concat(options.Blocking.AllowLists).Where(l => set.Lists.All(loaded => loaded.Name != l.Name)))
            {
                output.WriteLine($"  (list '{missing.Name}' is not loaded: {(missing.IsRemote ? "not downloaded yet; run 'palisade lists update'" : "the file could not be read")})");
            }

            return outcome == MatchOutcome.Blocked ? 1 : 0;
        }
    }
}
