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
int exitCode = await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

// A usage error (unknown option, missing argument) exits 2, as with getopt programs: 1 means BLOCKED to `check`.
return parsed.Errors.Count > 0 && exitCode != 0 ? 2 : exitCode;
