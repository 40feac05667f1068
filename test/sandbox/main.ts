/**
 * Runs a sandbox until SIGTERM/SIGINT:
 *   npx tsx test/sandbox/main.ts --scenario test/sandbox/scenarios/drill.json [--dir DIR] [--log-requests]
 * Prints one JSON line on stdout once it serves:
 *   {"url":...,"kubeconfig":...,"context":...,"namespace":...,"env":{...},"dir":...}
 */
import { parseArgs } from 'node:util';
import { startSandbox, type RequestLogEntry } from './index.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { scenario: { type: 'string' }, dir: { type: 'string' }, 'log-requests': { type: 'boolean' } },
    strict: true,
  });
  if (!values.scenario) throw new Error('usage: main.ts --scenario FILE.json [--dir DIR]');
  const sb = await startSandbox({
    scenario: values.scenario,
    ...(values.dir === undefined ? {} : { dir: values.dir }),
    ...(values['log-requests']
      ? { onRequest: (e: RequestLogEntry) => process.stderr.write(`${e.status} ${e.method} ${e.path}${e.query ? '?' + e.query : ''} ${e.contentType} [${e.userAgent.split(' ')[0]}]\n`) }
      : {}),
  });
  process.stdout.write(
    JSON.stringify({ url: sb.url, kubeconfig: sb.kubeconfigPath, context: sb.context, namespace: sb.namespace, env: sb.env, dir: sb.dir }) + '\n',
  );
  const shutdown = (): void => {
    void sb.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`sandbox: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
