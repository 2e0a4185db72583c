using System.CommandLine;
using Palisade.Commands;

var root = new RootCommand("Palisade: a DNS server for your own network that blocks ads, trackers and malware.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(CheckCommand.Create());
root.Subcommands.Add(ListsCommand.Create());
root.Subcommands.Add(DecodeCommand.Create());
root.Subcommands.Add(QueryCommand.Create());
root.Subcommands.Add(CertCommand.Create());
// serve handles SIGINT and SIGTERM itself, to stop gracefully; the parser must not end the process first.
var parsed = root.Parse(args);
int status = await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

// A command line that does not parse is a usage error, exit status 2 like the commands' own, so that 1 keeps its
// meaning for scripts (no answer from palisade query, BLOCKED from palisade check).
return parsed.Errors.Count > 0 && status == 1 ? 2 : status;
