import { describe, expect, it } from 'vitest';
import { checkWaitStrategy } from '../../src/plan/helmVersion.js';
import { parseClusterServer, parseHelmVersion, parseKubectlVersion } from '../../src/plan/parseToolOutput.js';

describe('version and kubeconfig parsing (zod)', () => {
  it('reads helm 3 and 4 versions, with a warning line before', () => {
    expect(parseHelmVersion('v3.17.3+ge4da497\n')).toEqual({ ok: true, value: { version: 'v3.17.3+ge4da497', major: 3 } });
    expect(parseHelmVersion('WARNING: Kubernetes configuration file is group-readable.\nv4.1.4+g05fa379\n')).toEqual({ ok: true, value: { version: 'v4.1.4+g05fa379', major: 4 } });
    expect(parseHelmVersion('version.BuildInfo{Version:"v3"}')).toMatchObject({ ok: false });
  });

  it('reads kubectl gitVersion and the one cluster server of a minified kubeconfig', () => {
    expect(parseKubectlVersion('{"clientVersion":{"major":"1","minor":"35","gitVersion":"v1.35.2"},"kustomizeVersion":"v5.7.1"}')).toEqual({ ok: true, value: 'v1.35.2' });
    expect(parseKubectlVersion('{"clientVersion":{}}')).toMatchObject({ ok: false });
    const view = { clusters: [{ name: 'c', cluster: { server: 'https://10.0.0.1:6443', 'certificate-authority-data': 'DATA+OMITTED' } }], users: [{ name: 'u', user: { token: 'REDACTED' } }] };
    expect(parseClusterServer(JSON.stringify(view))).toEqual({ ok: true, value: 'https://10.0.0.1:6443' });
    expect(parseClusterServer(JSON.stringify({ clusters: [] }))).toMatchObject({ ok: false });
  });

  it('--wait-strategy is refused on helm 3 and allowed on helm 4; no strategy is fine on both', () => {
    expect(() => checkWaitStrategy('legacy', { version: 'v3.17.3', major: 3 })).toThrow(/--wait-strategy legacy needs helm 4/);
    expect(() => checkWaitStrategy('legacy', { version: 'v4.1.4', major: 4 })).not.toThrow();
    expect(() => checkWaitStrategy(undefined, { version: 'v3.17.3', major: 3 })).not.toThrow();
  });
});
