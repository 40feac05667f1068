// How a fake's rules match a call: the one definition fake-tool.mjs (a fake run as its
// own process) and test/support/fakeRunner.ts (the same fake in the test's process) share.

/** Whether `words` starts with `prefix`. */
export const startsWith = (words, prefix) => prefix.every((word, i) => words[i] === word);

/**
 * Whether `rule` answers `tool` called with `argv`, given the calls logged before it:
 * `after` needs an earlier call with that prefix; `args` is the exact argv, `prefix` its start.
 */
export function matches(rule, tool, argv, earlier) {
  if (rule.tool !== tool) return false;
  const after = rule.after;
  if (after !== undefined && !earlier.some((call) => call.tool === after.tool && startsWith(call.argv, after.prefix))) return false;
  return rule.args !== undefined ? rule.args.length === argv.length && startsWith(argv, rule.args) : startsWith(argv, rule.prefix ?? []);
}
