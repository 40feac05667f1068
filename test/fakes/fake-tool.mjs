// A stand-in for helm or kubectl, driven by a scenario file and recording every call.
// Used by the integration tests: the CLI runs it exactly as it runs the real binary.
//   FAKE_SCENARIO  path of the scenario JSON: { "rules": [Rule] }
//   FAKE_LOG       JSON Lines file; one {tool, argv, pid, time} record is appended per call
// Rule: { tool, args: [..exact argv..] | prefix: [..argv prefix..], stdout?, stderr?, exitCode?, delayMs?, hang? }
// The first matching rule answers. No match: exit 97 and say so, so a test sees an unexpected command.
import { appendFileSync, readFileSync } from 'node:fs';

const tool = process.argv[2];
const argv = process.argv.slice(3);
const scenario = JSON.parse(readFileSync(process.env.FAKE_SCENARIO, 'utf8'));
appendFileSync(process.env.FAKE_LOG, `${JSON.stringify({ tool, argv, pid: process.pid, time: Date.now() })}\n`);

const sameStart = (prefix) => prefix.every((word, i) => argv[i] === word);
const matches = (rule) =>
  rule.tool === tool &&
  (rule.args !== undefined ? rule.args.length === argv.length && sameStart(rule.args) : sameStart(rule.prefix ?? []));
const rule = scenario.rules.find(matches);

if (rule === undefined) {
  process.stderr.write(`fake ${tool}: unexpected command: ${JSON.stringify(argv)}\n`);
  process.exit(97);
}
const finish = () => {
  if (rule.stdout) process.stdout.write(rule.stdout);
  if (rule.stderr) process.stderr.write(rule.stderr);
  process.exitCode = rule.exitCode ?? 0;
};
if (rule.hang) {
  // Ignore SIGTERM like a wedged process would; only SIGKILL ends it.
  process.on('SIGTERM', () => undefined);
  setInterval(() => undefined, 1000);
} else if (rule.delayMs) setTimeout(finish, rule.delayMs);
else finish();
