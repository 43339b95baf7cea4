// Preloaded into a benchmarked Node process (NODE_OPTIONS=--require): prints its peak resident set
// size at exit, so evtgen and its peers are measured the same way. Child processes a tool spawns
// (esbuild) are not included.
process.on('exit', () => {
  process.stderr.write(`\nevtgen-bench-maxrss-kb ${process.resourceUsage().maxRSS}\n`);
});
