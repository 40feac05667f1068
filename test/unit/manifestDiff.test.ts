import { describe, expect, it } from 'vitest';
import { diffManifests } from '../../src/plan/diff/manifestDiff.js';

const key = Buffer.alloc(32, 7);
const labels = { from: 'revision 42', to: 'revision 41' };

const secret = (password: string, token: string) => `---
# Source: api/templates/secret.yaml
apiVersion: v1
kind: Secret
metadata:
  name: api-credentials
type: Opaque
data:
  password: ${Buffer.from(password).toString('base64')}
stringData:
  token: ${token}
`;
const deployment = (tag: string) => `---
# Source: api/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: registry.example/api:${tag}
`;
const configMap = `---
# Source: api/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: api-config
  namespace: videokit
data:
  LOG_LEVEL: info
`;

describe('diffManifests', () => {
  it('groups the diff by resource and leaves unchanged resources out', () => {
    const diff = diffManifests(deployment('1.42.0') + configMap, deployment('1.41.0') + configMap, labels, key);
    expect(diff.ok).toBe(true);
    if (!diff.ok) return;
    expect(diff.resources.map((r) => [r.resource, r.change])).toEqual([['Deployment/api', 'changed']]);
    expect(diff.resources[0]?.patch.split('\n')).toEqual(
      expect.arrayContaining(['--- Deployment/api (revision 42)', '+++ Deployment/api (revision 41)', '-          image: registry.example/api:1.42.0', '+          image: registry.example/api:1.41.0']),
    );
  });

  it('names added and removed resources, with the namespace when the manifest gives one', () => {
    const diff = diffManifests(deployment('1') + configMap, deployment('1'), labels, key);
    expect(diff.ok && diff.resources.map((r) => [r.resource, r.change])).toEqual([['ConfigMap/videokit/api-config', 'removed']]);
    const back = diffManifests(deployment('1'), deployment('1') + configMap, labels, key);
    expect(back.ok && back.resources.map((r) => [r.resource, r.change])).toEqual([['ConfigMap/videokit/api-config', 'added']]);
  });

  it('never shows Secret data: each value becomes a keyed hash, so a change is still visible', () => {
    const diff = diffManifests(secret('hunter2', 'tok-old'), secret('correct horse', 'tok-old'), labels, key);
    expect(diff.ok).toBe(true);
    if (!diff.ok) return;
    const patch = diff.resources[0]?.patch ?? '';
    for (const leaked of ['hunter2', 'correct horse', 'tok-old', Buffer.from('hunter2').toString('base64'), Buffer.from('correct horse').toString('base64')]) {
      expect(patch).not.toContain(leaked);
    }
    const changed = patch.split('\n').filter((line) => /^[-+]\s+password:/.test(line));
    expect(changed).toHaveLength(2);
    expect(changed[0]).toMatch(/^-\s+password: "?\(hidden, hmac-sha256 [0-9a-f]{12}\)"?$/);
    expect(changed[0]?.slice(1)).not.toEqual(changed[1]?.slice(1));
    // the unchanged token hashes the same on both sides: no line for it
    expect(patch).not.toMatch(/^[-+]\s+token:/m);
  });

  it('shows nothing when the same Secret is unchanged, and refuses a manifest that does not parse', () => {
    const same = diffManifests(secret('a', 'b'), secret('a', 'b'), labels, key);
    expect(same).toEqual({ ok: true, resources: [] });
    const broken = diffManifests('kind: Secret\ndata: {password: [unclosed\n', deployment('1'), labels, key);
    expect(broken).toMatchObject({ ok: false, problem: expect.stringMatching(/^revision 42: the manifest does not parse as YAML/) });
  });
});
