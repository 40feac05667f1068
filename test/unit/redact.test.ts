import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRedactor, redactDeep, REDACTED } from '../../src/process/redact.js';
import { UNPARSEABLE_SECRET } from '../../src/process/redactSecrets.js';

const env = {
  GITHUB_TOKEN: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  HELM_KUBETOKEN: 'kube-token-0123456789',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  PATH: '/usr/bin:/bin',
  KUBECONFIG: '/home/ci/.kube/config',
  KUBE_CONTEXT: 'prod-eu-west-1-admin',
  SHORT_TOKEN: 'abc',
  KUBECONFIG_DATA: 'apiVersion: v1\nusers:\n- name: ci\n  user:\n    token: sha256~inlinekubeconfigtokenvalue123\n',
};
const redact = createRedactor(env);
const JWT = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6dmlkZW9raXQ6Y2kifQ.c2lnbmF0dXJlLXBhcnQ';

describe('redact', () => {
  it('replaces credential values from the environment, naming the variable', () => {
    expect(redact(`pushing with ghp_abcdefghijklmnopqrstuvwxyz0123456789 now`)).toBe('pushing with [REDACTED:GITHUB_TOKEN] now');
    expect(redact('aws wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe('aws [REDACTED:AWS_SECRET_ACCESS_KEY]');
    expect(redact('token kube-token-0123456789;')).toBe('token [REDACTED:HELM_KUBETOKEN];');
  });

  it('leaves ordinary variables, paths and short values alone', () => {
    const text = 'context prod-eu-west-1-admin, kubeconfig /home/ci/.kube/config, PATH /usr/bin:/bin, abc';
    expect(redact(text)).toBe(text);
  });

  it('redacts an inline kubeconfig held in the environment, whole or line by line', () => {
    expect(redact(`config: ${env.KUBECONFIG_DATA}`)).not.toContain('inlinekubeconfigtokenvalue123');
    expect(redact('    token: sha256~inlinekubeconfigtokenvalue123')).not.toContain('inlinekubeconfigtokenvalue123');
  });

  it('redacts Authorization headers and bearer tokens', () => {
    expect(redact('I1126 09:00:00 round_trippers.go:466] curl -v -XGET  -H "Authorization: Bearer sha256~AbCdEf0123456789" https://api:6443/'))
      .toBe('I1126 09:00:00 round_trippers.go:466] curl -v -XGET  -H "Authorization: Bearer [REDACTED]" https://api:6443/');
    expect(redact('authorization=Basic dXNlcjpwYXNzd29yZA==')).toBe('authorization=Basic [REDACTED]');
    expect(redact('{"Authorization":"token abcdef123456"}')).toBe('{"Authorization":"token [REDACTED]"}');
    expect(redact('Proxy-Authorization: Negotiate YIIabc123')).toBe('Proxy-Authorization: Negotiate [REDACTED]');
    expect(redact('sent bearer abcdefgh.ijklmnop-qrs_tuv')).toBe('sent bearer [REDACTED]');
  });

  it('redacts credentials in URLs: passwords and token-like parameters', () => {
    expect(redact('Get "https://admin:s3cr3t-pass@api.example:6443/version": EOF')).toBe('Get "https://admin:[REDACTED]@api.example:6443/version": EOF');
    expect(redact('https://charts.example/index.yaml?access_token=abc123&page=2')).toBe('https://charts.example/index.yaml?access_token=[REDACTED]&page=2');
    expect(redact('https://bucket.s3.amazonaws.com/c.tgz?X-Amz-Credential=AKIA1&X-Amz-Signature=deadbeef')).toBe(
      'https://bucket.s3.amazonaws.com/c.tgz?X-Amz-Credential=[REDACTED]&X-Amz-Signature=[REDACTED]',
    );
    expect(redact('https://api.example:6443/apis?limit=500')).toBe('https://api.example:6443/apis?limit=500');
  });

  it('redacts kubeconfig credential fields (YAML and JSON) and credential flags', () => {
    const kubeconfig = [
      'users:',
      '- name: admin',
      '  user:',
      '    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t',
      '    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==',
      '    token: sha256~Zm9vYmFyYmF6',
      '    password: hunter2hunter2',
      'clusters:',
      '- cluster:',
      '    server: https://api.example:6443',
    ].join('\n');
    const out = redact(kubeconfig);
    expect(out).toContain(`    client-key-data: ${REDACTED}`);
    expect(out).toContain(`    client-certificate-data: ${REDACTED}`);
    expect(out).toContain(`    token: ${REDACTED}`);
    expect(out).toContain(`    password: ${REDACTED}`);
    expect(out).toContain('    server: https://api.example:6443');
    expect(redact('{"user":{"token":"sha256~Zm9vYmFy","username":"admin"}}')).toBe(`{"user":{"token":"${REDACTED}","username":"admin"}}`);
    expect(redact('kubectl --token=abc123456 get pods')).toBe(`kubectl --token=${REDACTED} get pods`);
    expect(redact('kubectl --password hunter2 get pods')).toBe(`kubectl --password ${REDACTED} get pods`);
  });

  it('redacts JSON Web Tokens and PEM private keys', () => {
    expect(redact(`sa token ${JWT} end`)).toBe(`sa token ${REDACTED} end`);
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabcdef\n-----END RSA PRIVATE KEY-----';
    expect(redact(`key:\n${pem}\n`)).toBe(`key:\n-----BEGIN RSA PRIVATE KEY-----\n${REDACTED}\n-----END RSA PRIVATE KEY-----\n`);
  });

  it('redacts a diff that names a Secret whole, part by part, and leaves the other parts alone', () => {
    const diff = [
      'videokit, videokit-api-env, Secret (v1) has changed:',
      '  # Source: videokit-api/templates/secret.yaml',
      '  apiVersion: v1',
      '  kind: Secret',
      '  metadata:',
      '    name: videokit-api-env',
      '  data:',
      '-   DATABASE_URL: cG9zdGdyZXM6Ly9vbGQ=',
      '+   DATABASE_URL: cG9zdGdyZXM6Ly9uZXc=',
      '    API_KEY: c2VjcmV0',
      '  type: Opaque',
      '  ---',
      '  apiVersion: v1',
      '  kind: ConfigMap',
      '  data:',
      '    LOG_LEVEL: debug',
    ].join('\n');
    const out = redact(diff);
    // A diff does not parse as YAML: the part naming the Secret goes whole, the ConfigMap after it stays.
    expect(out.split('\n')[0]).toBe(UNPARSEABLE_SECRET);
    expect(out).toContain('  ---\n  apiVersion: v1\n  kind: ConfigMap\n  data:\n    LOG_LEVEL: debug');
    expect(out).not.toMatch(/cG9zdGdyZXM|c2VjcmV0/);

  });

  it('redacts the data of a Secret in YAML, keeping the rest of the text as it was', () => {
    const manifest = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: plain-text-pw\n  user: admin\n';
    expect(redact(manifest)).toBe(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: ${REDACTED}\n  user: ${REDACTED}\n`);
  });

  it('redacts the data of a Secret in JSON, also escaped inside last-applied-configuration', () => {
    const json = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 's',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ kind: 'Secret', data: { pw: 'aGVsbG8=' } }) },
      },
      data: { pw: 'aGVsbG8=', token: 'dG9rZW4=' },
    }, null, 2);
    const out = redact(json);
    expect(out).not.toMatch(/aGVsbG8=|dG9rZW4=/);
    expect(JSON.parse(out).data).toEqual({ pw: REDACTED, token: REDACTED });
    expect(JSON.parse(JSON.parse(out).metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).data).toEqual({ pw: REDACTED });
    const configMap = JSON.stringify({ kind: 'ConfigMap', data: { LOG_LEVEL: 'debug' } });
    expect(redact(configMap)).toBe(configMap);
  });

  it('leaves what the tool itself prints untouched', () => {
    const text = [
      'helm rollback videokit-api 41 --namespace videokit --kube-context prod-eu-west-1-admin --wait --timeout 10m0s',
      '[{"revision":41,"updated":"2026-11-12T09:00:00Z","status":"superseded","chart":"videokit-api-0.41.0","app_version":"1.41.0","description":"Upgrade complete"}]',
      'videokit-api-6d5f7c9b8-abcde   1/1     Running   0          12s   10.0.0.12   node-1   <none>           <none>',
      'Error: Kubernetes cluster unreachable: Get "https://127.0.0.1:6443/version": dial tcp 127.0.0.1:6443: connect: connection refused',
    ].join('\n');
    expect(redact(text)).toBe(text);
  });

  it('redactDeep applies to every string in events and documents, keeping the shape', () => {
    const event = { type: 'command-end', exitCode: 0, argv: ['kubectl', `--token=${env.GITHUB_TOKEN}`], nested: { stderr: `Bearer ${JWT}` }, n: null };
    expect(redactDeep(event, redact)).toEqual({
      type: 'command-end',
      exitCode: 0,
      argv: ['kubectl', '--token=[REDACTED]'],
      nested: { stderr: `Bearer ${REDACTED}` },
      n: null,
    });
  });
});

describe('Secret redaction on a YAML parse (properties)', () => {
  const redactor = createRedactor({});
  const key = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,11}$/);
  /** A value nobody could find by accident, sometimes with characters that need quoting. */
  const value = fc.tuple(fc.stringMatching(/^[a-z0-9]{8,12}$/), fc.constantFrom('', ' x', ': y', ' #z', "'q'", '"d"', '\\e')).map(([v, tail]) => `PLAIN${v}${tail}`);
  const entries = fc.uniqueArray(fc.tuple(key, value), { minLength: 1, maxLength: 4, selector: ([k]) => k });
  const field = fc.constantFrom('data', 'stringData');

  /** One Secret document in a given style; the values must never come back. */
  const styles: Record<string, (f: string, kv: [string, string][]) => string> = {
    block: (f, kv) => `${f}:\n${kv.map(([k, v]) => `  ${k}: ${JSON.stringify(v)}\n`).join('')}`,
    singleQuoted: (f, kv) => `${f}:\n${kv.map(([k, v]) => `  ${k}: '${v.replaceAll("'", "''")}'\n`).join('')}`,
    literal: (f, kv) => `${f}:\n${kv.map(([k, v]) => `  ${k}: |\n    line=${v}\n    more=${v}\n`).join('')}`,
    folded: (f, kv) => `${f}:\n${kv.map(([k, v]) => `  ${k}: >-\n    ${v}\n    ${v}\n`).join('')}`,
    flow: (f, kv) => `${f}: {${kv.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')}}\n`,
    json: (f, kv) => `${JSON.stringify({ [f]: Object.fromEntries(kv) })}\n`,
    anchored: (f, kv) => `defaults: &shared ${JSON.stringify(kv[0]![1])}\n${f}:\n${kv.map(([k], i) => (i === 0 ? `  ${k}: *shared\n` : `  ${k}: ${JSON.stringify(kv[i]![1])}\n`)).join('')}`,
  };
  const secretDoc = (style: string, f: string, kv: [string, string][]) =>
    style === 'json'
      ? `${JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, ...JSON.parse(styles.json!(f, kv)) }, null, 2)}\n`
      : `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n${styles[style]!(f, kv)}type: Opaque\n`;

  it('hides every value of a Secret in every style, alone or in a multi-document stream', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(styles)), field, entries, fc.boolean(), (style, f, kv, stream) => {
        const doc = secretDoc(style, f, kv);
        const text = stream ? `apiVersion: v1\nkind: ConfigMap\ndata:\n  LOG_LEVEL: debug\n---\n${doc}---\nkind: Service\n` : doc;
        const out = redactor(text);
        for (const [, v] of kv) expect(out).not.toContain(v.slice(0, 13));
        expect(out).toContain(REDACTED);
        if (stream) expect(out).toContain('LOG_LEVEL: debug');
        for (const [k] of kv) if (style !== 'json') expect(out).toContain(k);
      }),
      { numRuns: 300 },
    );
  });

  it('hides a Secret inside a List, and text that names a Secret but does not parse', () => {
    fc.assert(
      fc.property(field, entries, fc.nat(40), (f, kv, cut) => {
        const list = JSON.stringify({ kind: 'List', items: [{ kind: 'ConfigMap', data: { a: 'b' } }, { kind: 'Secret', [f]: Object.fromEntries(kv) }] });
        for (const [, v] of kv) expect(redactor(list)).not.toContain(v.slice(0, 13));
        // A chunk of output cut anywhere in the document: whatever is left of it shows no value.
        const doc = secretDoc('block', f, kv);
        const chunk = doc.slice(0, Math.min(doc.length, 40 + cut));
        for (const [, v] of kv) expect(redactor(chunk)).not.toContain(v.slice(0, 13));
      }),
      { numRuns: 200 },
    );
  });
});
