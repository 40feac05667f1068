import { gunzipSync, gzipSync } from 'node:zlib';
import type { KObject } from '../kube/types.js';
import { renderObjects, type RevisionSpec } from './chart.js';
import { toYaml } from './yaml.js';

/**
 * helm's release storage (pkg/storage/driver/secrets.go, util.go): one Secret per revision,
 * `sh.helm.release.v1.<name>.v<revision>`, type `helm.sh/release.v1`, labels
 * owner/name/status/version, and `data.release` = base64(gzip(release JSON)); the Secret's own
 * JSON encoding base64s that string once more.
 */

export const RELEASE_TYPE = 'helm.sh/release.v1';

export const secretName = (release: string, revision: number): string => `sh.helm.release.v1.${release}.v${revision}`;

export interface StoredRevision extends RevisionSpec {
  namespace: string;
  revision: number;
  status: string;
  description: string;
  /** RFC 3339 */
  deployedAt: string;
}

/** helm marshals Go's zero time.Time for a revision never deleted. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

export function manifestOf(r: RevisionSpec): string {
  return renderObjects(r)
    .map(({ source, object }) => `---\n# Source: ${source}\n${toYaml(object)}`)
    .join('') + (r.extraManifest ?? '');
}

/** The release JSON as helm 3.17's release.Release marshals it (helm 4 reads the same). */
export function releaseJson(r: StoredRevision): Record<string, unknown> {
  const templates = renderObjects(r).map(({ source }) => ({
    name: source.slice(source.indexOf('/') + 1),
    data: Buffer.from(`# ${source}\n`).toString('base64'),
  }));
  return {
    name: r.release,
    info: {
      first_deployed: r.deployedAt,
      last_deployed: r.deployedAt,
      deleted: ZERO_TIME,
      description: r.description,
      status: r.status,
      notes: '',
    },
    chart: {
      metadata: {
        name: r.chartName,
        version: r.chartVersion,
        description: `A Helm chart for ${r.chartName}`,
        apiVersion: 'v2',
        appVersion: r.appVersion,
        type: 'application',
      },
      lock: null,
      templates,
      values: { replicaCount: r.replicas, image: { repository: `registry.example/${r.release}`, tag: r.imageTag } },
      schema: null,
      files: [],
    },
    config: {},
    manifest: manifestOf(r),
    version: r.revision,
    namespace: r.namespace,
  };
}

export function encodeRelease(json: unknown): string {
  return gzipSync(Buffer.from(JSON.stringify(json))).toString('base64');
}

/** Accepts gzip or plain JSON, as helm's decodeRelease does (it checks the gzip magic). */
export function decodeRelease(encoded: string): Record<string, unknown> {
  const raw = Buffer.from(encoded, 'base64');
  const text = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  return JSON.parse(text) as Record<string, unknown>;
}

export function releaseSecret(r: StoredRevision): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: RELEASE_TYPE,
    metadata: {
      name: secretName(r.release, r.revision),
      namespace: r.namespace,
      labels: {
        name: r.release,
        owner: 'helm',
        status: r.status,
        version: String(r.revision),
        createdAt: String(Math.floor(Date.parse(r.deployedAt) / 1000)),
      },
    },
    // Secret JSON carries []byte as base64: base64 of the base64 text helm stores.
    data: { release: Buffer.from(encodeRelease(releaseJson(r))).toString('base64') },
  };
}

export interface HistoryEntry {
  revision: number;
  status: string;
  description: string;
  manifest: string;
}

/** Reads a release Secret as stored (after helm's writes too). */
export function readReleaseSecret(secret: KObject): HistoryEntry | undefined {
  const data = secret.data as Record<string, string> | undefined;
  if (secret.type !== RELEASE_TYPE || !data?.release) return undefined;
  const rel = decodeRelease(Buffer.from(data.release, 'base64').toString('utf8'));
  const info = (rel.info ?? {}) as Record<string, unknown>;
  return {
    revision: Number(rel.version),
    status: String(info.status ?? ''),
    description: String(info.description ?? ''),
    manifest: String(rel.manifest ?? ''),
  };
}
