// A stand-in for helm or kubectl, driven by a scenario file and recording every call.
// Used by the integration tests: the CLI runs it exactly as it runs the real binary.
//   FAKE_SCENARIO  path of the scenario JSON: { "rules": [Rule] }
//   FAKE_LOG       JSON Lines file; one {tool, argv, pid, time} record is appended per call
// Rule: { tool, args: [..exact argv..] | prefix: [..argv prefix..], after?: { tool, prefix }, stdout?, stderr?, exitCode?, delayMs?, hang?, awaitCalls? }
// `after` makes a rule stateful: it only matches once an earlier call (in FAKE_LOG) matched
// that tool and argv prefix, e.g. helm history answering with the revision a rollback created.
//   awaitCalls: [{ tool, prefix }]: answer only once every one of these calls has been logged, which
//   proves commands run at the same time without timing anything. Not seen within 10 s: exit 98.
// The first matching rule answers. No match: exit 97 and say so, so a test sees an unexpected command.
import { appendFileSync, readFileSync } from 'node:fs';
import { matches, startsWith } from './rules.mjs';

const tool = process.argv[2];
const argv = process.argv.slice(3);
const scenario = JSON.parse(readFileSync(process.env.FAKE_SCENARIO, 'utf8'));
const earlier = readFileSync(process.env.FAKE_LOG, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
appendFileSync(process.env.FAKE_LOG, `${JSON.stringify({ tool, argv, pid: process.pid, time: Date.now() })}\n`);

const rule = scenario.rules.find((candidate) => matches(candidate, tool, argv, earlier));

if (rule === undefined) {
  process.stderr.write(`fake ${tool}: unexpected command: ${JSON.stringify(argv)}\n`);
  process.exit(97);
}
const finish = () => {
  if (rule.stdout) process.stdout.write(rule.stdout);
  if (rule.stderr) process.stderr.write(rule.stderr);
  process.exitCode = rule.exitCode ?? 0;
};
const AWAIT_LIMIT_MS = 10_000;
const seen = (wanted) =>
  readFileSync(process.env.FAKE_LOG, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .some((call) => call.tool === wanted.tool && startsWith(call.argv, wanted.prefix));
const awaitCalls = (then) => {
  const started = Date.now();
  const poll = () => {
    if (rule.awaitCalls.every(seen)) then();
    else if (Date.now() - started > AWAIT_LIMIT_MS) {
      process.stderr.write(`fake ${tool}: never saw ${JSON.stringify(rule.awaitCalls)} while answering ${JSON.stringify(argv)}\n`);
      process.exitCode = 98;
    } else setTimeout(poll, 20);
  };
  poll();
};

if (rule.awaitCalls) awaitCalls(() => (rule.delayMs ? setTimeout(finish, rule.delayMs) : finish()));
else if (rule.hang) {
  // Ignore SIGTERM like a wedged process would; only SIGKILL ends it.
  process.on('SIGTERM', () => undefined);
  setInterval(() => undefined, 1000);
} else if (rule.delayMs) setTimeout(finish, rule.delayMs);
else finish();
