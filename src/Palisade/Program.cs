using System.CommandLine;
using Palisade.Commands;

var root = new RootCommand("Palisade: a DNS server for your own network that blocks ads, trackers and malware.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(DecodeCommand.Create());
return root.Parse(args).Invoke();
