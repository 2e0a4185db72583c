using Palisade.Fuzz;
using SharpFuzz;

// palisade-fuzz TARGET                 under afl-fuzz: the fork-server loop (SharpFuzz); alone: one input from stdin
// palisade-fuzz TARGET --replay PATH   runs every file under PATH (a file or a folder) once, without afl-fuzz
if (args.Length is not (1 or 3) || !FuzzTargets.All.TryGetValue(args[0], out var target) ||
    (args.Length == 3 && args[1] != "--replay"))
{
    Console.Error.WriteLine($"usage: Palisade.Fuzz {{{string.Join('|', FuzzTargets.All.Keys)}}} [--replay FILE|DIR]");
    return 2;
}

if (args.Length == 3)
{
    return Replay.Run(args[0], target, args[2]);
}

byte[] buffer = new byte[64 * 1024];
Fuzzer.OutOfProcess.Run(stream =>
{
    // Read the whole input into one reused buffer (it grows for the rare input larger than 64 KiB).
    int length = 0;
    int read;
    while ((read = stream.Read(buffer, length, buffer.Length - length)) > 0)
    {
        length += read;
        if (length == buffer.Length)
        {
            Array.Resize(ref buffer, buffer.Length * 2);
        }
    }

    target(buffer.AsSpan(0, length));
});
return 0;
