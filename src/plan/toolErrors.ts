/**
 * Turning what helm and kubectl print on failure into one line an operator can act
 * on. kubectl logs client-side errors in klog format (`E1126 09:16:12.459167 15200
 * memcache.go:265] ...`) before its own message, and helm prints `WARNING:` lines
 * before `Error: ...`: the line that says what went wrong is usually the last
 * `Error`/`error:` line, not the first one.
 */
const KLOG_LINE = /^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [^\]]+\] /;
const ERROR_LINE = /^(Error\b|error:|The connection to the server )/;
const MAX_REASON = 300;

export function shorten(line: string, max = MAX_REASON): string {
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}

export function reasonLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  if (lines.length === 0) return '(no output)';
  const meaningful = lines.filter((line) => !KLOG_LINE.test(line));
  const error = [...meaningful].reverse().find((line) => ERROR_LINE.test(line));
  return shorten(error ?? meaningful[0] ?? lines[0] ?? '');
}

/** One hint for the failures seen while planning, by the most telling cause. */
export function hintForProblems(messages: readonly string[]): string | undefined {
  const all = messages.join('\n');
  const missingContext = /context "([^"]*)" does not exist/.exec(all);
  if (missingContext !== null) {
    return `the kubeconfig has no context ${JSON.stringify(missingContext[1])}: check --context / KUBE_CONTEXT and KUBECONFIG (\`kubectl config get-contexts\` lists them)`;
  }
  if (/\(Unauthorized\)|must be logged in|Unauthorized/.test(all)) {
    return 'the cluster refused the credentials: log in again or refresh the token, then re-run the dry-run';
  }
  if (/forbidden/i.test(all)) {
    return 'the credentials lack permission: helm history needs to list Secrets and kubectl to list Deployments, StatefulSets and DaemonSets in the namespace (`kubectl auth can-i list secrets -n <ns>`)';
  }
  if (/an HTML page/.test(all)) {
    return 'something between you and the API server (a proxy, a login page) answered instead of it: check HTTPS_PROXY / NO_PROXY';
  }
  if (/unreachable|connection refused|was refused|no such host|i\/o timeout|dial tcp|TLS handshake timeout/i.test(all)) {
    return 'the API server could not be reached: check the network (VPN, proxy) and the server address in the kubeconfig';
  }
  return undefined;
}
