import { clone, isObject, type JsonObject } from '../kube/json.js';

/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), which helm 3 (and helm 4
 * with client-side apply) sends for built-in kinds: it computes a three-way patch with the Go
 * structs' patch metadata, so lists of containers, env, volumes, ports... merge by key and the
 * patch carries `$setElementOrder/<list>` directives, e.g.
 * `{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"api"}],"containers":[{"image":"...","name":"api"}]}}}}`.
 * The merge keys come from the `patchMergeKey` tags of k8s.io/api; lists without one replace.
 */

const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  conditions: 'type',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  ingress: 'ip',
};

/** Lists of scalars with `patchStrategy:"merge"`: union instead of replace. */
const MERGED_SCALAR_LISTS = new Set(['finalizers']);

/** `ports` merges by containerPort in a container and by port in a Service. */
function mergeKey(path: readonly string[]): string | undefined {
  const field = path[path.length - 1] ?? '';
  if (field === 'ports') return path.some((p) => p === 'containers' || p === 'initContainers') ? 'containerPort' : 'port';
  return MERGE_KEYS[field];
}

const DIRECTIVE_PREFIXES = ['$setElementOrder/', '$deleteFromPrimitiveList/', '$retainKeys', '$patch'];
const isDirective = (k: string): boolean => DIRECTIVE_PREFIXES.some((p) => k.startsWith(p));

/** A patch fragment added where nothing existed: apply it to an empty value so directives vanish. */
function fresh(v: unknown, path: readonly string[]): unknown {
  if (Array.isArray(v)) return mergeList(undefined, v, path);
  if (isObject(v)) return mergeObject({}, v, path);
  return clone(v);
}

function mergeList(original: unknown, patch: unknown[], path: readonly string[]): unknown[] {
  const field = path[path.length - 1] ?? '';
  // `[{"$patch":"replace"}, ...items]` replaces the whole list.
  if (patch.some((e) => isObject(e) && e.$patch === 'replace')) {
    return patch.filter((e) => !(isObject(e) && e.$patch === 'replace')).map((e) => fresh(e, path));
  }
  const orig = Array.isArray(original) ? original : [];
  const key = mergeKey(path);
  if (key && patch.every(isObject)) {
    const result = orig.map((e) => clone(e));
    for (const item of patch as JsonObject[]) {
      const idx = result.findIndex((r) => isObject(r) && String(r[key]) === String(item[key]));
      if (item.$patch === 'delete') {
        if (idx >= 0) result.splice(idx, 1);
      } else if (idx >= 0) {
        result[idx] = mergeObject(result[idx] as JsonObject, item, path);
      } else {
        result.push(fresh(item, path));
      }
    }
    return result;
  }
  if (MERGED_SCALAR_LISTS.has(field)) return [...new Set([...orig, ...patch])];
  return patch.map((e) => fresh(e, path));
}

/** Orders a merged list as `$setElementOrder` says; elements it does not name keep their place after. */
function reorder(list: unknown[], order: unknown[], key: string | undefined): unknown[] {
  const id = (e: unknown): string => (key && isObject(e) ? String(e[key]) : JSON.stringify(e));
  const rank = new Map(order.map((o, i) => [id(o), i]));
  const named = list.filter((e) => rank.has(id(e))).sort((a, b) => rank.get(id(a))! - rank.get(id(b))!);
  return [...named, ...list.filter((e) => !rank.has(id(e)))];
}

function mergeObject(original: JsonObject, patch: JsonObject, path: readonly string[]): JsonObject {
  if (patch.$patch === 'replace') {
    const { $patch: _ignored, ...rest } = patch;
    return fresh(rest, path) as JsonObject;
  }
  const result = clone(original);
  for (const [k, v] of Object.entries(patch)) {
    if (isDirective(k)) continue;
    const childPath = [...path, k];
    if (v === null) delete result[k];
    else if (isObject(v) && v.$patch === 'delete') delete result[k];
    else if (Array.isArray(v)) result[k] = mergeList(result[k], v, childPath);
    else if (isObject(v)) result[k] = mergeObject(isObject(result[k]) ? result[k] : {}, v, childPath);
    else result[k] = v;
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$deleteFromPrimitiveList/') && Array.isArray(v)) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const cur = result[field];
      if (Array.isArray(cur)) result[field] = cur.filter((e) => !v.includes(e));
    }
    if (k.startsWith('$setElementOrder/') && Array.isArray(v)) {
      const field = k.slice('$setElementOrder/'.length);
      const cur = result[field];
      if (Array.isArray(cur)) result[field] = reorder(cur, v, mergeKey([...path, field]));
    }
  }
  const retain = patch.$retainKeys;
  if (Array.isArray(retain)) {
    for (const k of Object.keys(result)) if (!retain.includes(k)) delete result[k];
  }
  return result;
}

export function strategicMerge(original: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  return mergeObject(isObject(original) ? original : {}, patch, []);
}
