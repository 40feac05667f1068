/**
 * The one redaction applied to everything that reaches the transcript, the JSON
 * document and error lines: command lines, argv, stdout and stderr. A transcript is
 * an audit record that gets attached to tickets and CI artifacts; it must never
 * carry a credential.
 *
 * What is redacted:
 * - values of environment variables whose names say they are secret (TOKEN, SECRET,
 *   PASSWORD, API_KEY, ...; at least 8 characters), and inline kubeconfigs held in
 *   KUBECONFIG-like variables, wherever they appear;
 * - `Authorization:` header values and `Bearer <token>` (kubectl -v=8 prints
 *   headers, proxies echo them);
 * - passwords in URLs (`https://user:pass@host`) and token-like query parameters;
 * - kubeconfig and CLI credential fields (`token:`, `client-key-data:`,
 *   `password:`, `--token=...`, ...) in YAML, JSON or argv;
 * - JSON Web Tokens (service-account tokens) and PEM private keys;
 * - the values under `data:` / `stringData:` of a Kubernetes Secret, found by
 *   parsing YAML or JSON (security/redactSecrets.ts); text that names a Secret
 *   and does not parse is redacted whole.
 */
import { REDACTED, redactSecretData } from './redactSecrets.js';

export type Redactor = (text: string) => string;

export { REDACTED };

/** Environment variable names whose values are credentials. */
const SECRET_ENV_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|AUTH|SESSION|COOKIE|(^|_)PAT$/i;
/** Variables some CI systems use for a whole kubeconfig (not a path to one). */
const KUBECONFIG_ENV_NAME = /KUBE_?CONFIG/i;
const MIN_SECRET_LENGTH = 8;

const PEM_PRIVATE_KEY = /(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----)[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----)/g;
const AUTHORIZATION = /\b((?:proxy-)?authorization\\?["']?\s*[:=]\s*\\?["']?)((?:bearer|basic|token|negotiate|digest)\s+)?([^\s"'\\,;]+)/gi;
const BEARER = /\b(bearer\s+)([A-Za-z0-9\-._~+/]{8,}=*)/gi;
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@"']+:)([^\s/@"']+)(@)/gi;
const URL_SECRET_PARAM =
  /([?&;](?:access_token|id_token|refresh_token|token|api[_-]?key|key|secret|client_secret|password|passwd|pwd|sig|signature|x-amz-signature|x-amz-security-token|x-amz-credential|x-goog-signature|auth)=)([^&#\s"']+)/gi;
const CREDENTIAL_FIELD =
  /((?:^|[\s{,"'+-])"?(?:token|id-token|refresh-token|access-token|client-key-data|client-certificate-data|client-secret|password|passwd|secret-access-key|aws_secret_access_key|aws_session_token)"?\s*:\s*)("?)([^\s"',}]+)/gim;
const CREDENTIAL_FLAG = /(--(?:token|password|client-key|client-secret|auth-token|access-token)(?:=|\s+))(\S+)/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The literal credential values in an environment, longest first (so no prefix wins). */
export function secretsFromEnv(env: NodeJS.ProcessEnv): { name: string; value: string }[] {
  const found: { name: string; value: string }[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value.trim().length < MIN_SECRET_LENGTH) continue;
    const inlineKubeconfig = KUBECONFIG_ENV_NAME.test(name) && (value.includes('\n') || !value.includes('/'));
    if (!SECRET_ENV_NAME.test(name) && !inlineKubeconfig) continue;
    found.push({ name, value });
    // A multi-line secret (a kubeconfig, a key) may show up one line at a time.
    for (const line of value.split('\n')) {
      const trimmed = line.trim();
      if (trimmed.length >= 20 && trimmed !== value) found.push({ name, value: trimmed });
    }
  }
  return found.sort((a, b) => b.value.length - a.value.length);
}

export function createRedactor(env: NodeJS.ProcessEnv): Redactor {
  const secrets = secretsFromEnv(env).map(({ name, value }) => ({ pattern: new RegExp(escapeRegExp(value), 'g'), replacement: `[REDACTED:${name}]` }));
  return (text) => {
    if (text === '') return text;
    // Secrets first, on the text as it came: the patterns below could make it unparseable.
    let out = redactSecretData(text);
    for (const { pattern, replacement } of secrets) out = out.replace(pattern, replacement);
    out = out.replace(PEM_PRIVATE_KEY, `$1\n${REDACTED}\n$2`);
    out = out.replace(AUTHORIZATION, (_m, head: string, scheme: string | undefined) => `${head}${scheme ?? ''}${REDACTED}`);
    out = out.replace(BEARER, `$1${REDACTED}`);
    out = out.replace(URL_PASSWORD, `$1${REDACTED}$3`);
    out = out.replace(URL_SECRET_PARAM, `$1${REDACTED}`);
    out = out.replace(CREDENTIAL_FIELD, (_m, head: string, quote: string) => `${head}${quote}${REDACTED}`);
    out = out.replace(CREDENTIAL_FLAG, `$1${REDACTED}`);
    out = out.replace(JWT, REDACTED);
    return out;
  };
}

/** Applies a redactor to every string in a JSON-like value (events, the JSON document). */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item, redact)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = redactDeep(item, redact);
    return out as T;
  }
  return value;
}

/** A URL as shown in output: credentials in it (`user:pass@`) are masked. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '***';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}
