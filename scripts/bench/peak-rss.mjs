// Preload for the benchmark (`node --import`): at exit, writes the process's peak
// resident set size (kB, from getrusage) to $VKR_BENCH_RSS_FILE.
import { writeFileSync } from 'node:fs';

process.on('exit', () => writeFileSync(process.env.VKR_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));
