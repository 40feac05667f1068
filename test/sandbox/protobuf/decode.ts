import { unsupportedMediaType } from '../kube/errors.js';
import type { KObject, ObjectMeta } from '../kube/types.js';
import { mapEntry, readFields, str, type Field } from './wire.js';

/**
 * helm's storage driver writes its release Secrets with client-go's typed clientset, which
 * sends `application/vnd.kubernetes.protobuf` (and answering 415 does not make it fall back to
 * JSON). The body is the `k8s\0` magic followed by a runtime.Unknown {typeMeta=1 {apiVersion=1,
 * kind=2}, raw=2, contentEncoding=3, contentType=4} whose raw bytes are the object message.
 * Field numbers are those of k8s.io/api/core/v1/generated.proto and
 * k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto.
 */

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

function decodeObjectMeta(buf: Buffer): ObjectMeta {
  const meta: ObjectMeta = { name: '' };
  for (const f of readFields(buf)) {
    switch (f.no) {
      case 1:
        meta.name = str(f);
        break;
      case 2:
        meta.generateName = str(f);
        break;
      case 3:
        meta.namespace = str(f);
        break;
      case 5:
        meta.uid = str(f);
        break;
      case 6:
        meta.resourceVersion = str(f);
        break;
      case 7:
        meta.generation = f.int ?? 0;
        break;
      case 11: {
        const [k, v] = mapEntry(f);
        (meta.labels ??= {})[k] = v.toString('utf8');
        break;
      }
      case 12: {
        const [k, v] = mapEntry(f);
        (meta.annotations ??= {})[k] = v.toString('utf8');
        break;
      }
    }
  }
  return meta;
}

const metaOf = (f: Field): ObjectMeta => decodeObjectMeta(f.bytes ?? Buffer.alloc(0));

/** Secret: metadata=1, data=2 (map<string,bytes>), type=3, stringData=4, immutable=5. */
function decodeSecret(raw: Buffer): KObject {
  const obj: KObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: '' } };
  const data: Record<string, string> = {};
  for (const f of readFields(raw)) {
    if (f.no === 1) obj.metadata = metaOf(f);
    else if (f.no === 2) {
      const [k, v] = mapEntry(f);
      data[k] = v.toString('base64'); // JSON form of []byte
    } else if (f.no === 3) obj.type = str(f);
    else if (f.no === 4) {
      const [k, v] = mapEntry(f);
      data[k] = v.toString('base64'); // the API server folds stringData into data
    } else if (f.no === 5) obj.immutable = f.int === 1;
  }
  obj.data = data;
  return obj;
}

/** ConfigMap: metadata=1, data=2 (map<string,string>), binaryData=3, immutable=4. */
function decodeConfigMap(raw: Buffer): KObject {
  const obj: KObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '' } };
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  for (const f of readFields(raw)) {
    if (f.no === 1) obj.metadata = metaOf(f);
    else if (f.no === 2) {
      const [k, v] = mapEntry(f);
      data[k] = v.toString('utf8');
    } else if (f.no === 3) {
      const [k, v] = mapEntry(f);
      binaryData[k] = v.toString('base64');
    } else if (f.no === 4) obj.immutable = f.int === 1;
  }
  obj.data = data;
  if (Object.keys(binaryData).length > 0) obj.binaryData = binaryData;
  return obj;
}

export function isProtobuf(contentType: string): boolean {
  return contentType.startsWith('application/vnd.kubernetes.protobuf');
}

/** The object in a protobuf request body; DeleteOptions and other bodies come back as `{kind}` only. */
export function decodeProtobuf(body: Buffer): KObject | { kind: string } {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw unsupportedMediaType('protobuf without the k8s magic');
  let kind = '';
  let apiVersion = '';
  let raw = Buffer.alloc(0);
  for (const f of readFields(body.subarray(4))) {
    if (f.no === 1) {
      for (const t of readFields(f.bytes ?? Buffer.alloc(0))) {
        if (t.no === 1) apiVersion = str(t);
        if (t.no === 2) kind = str(t);
      }
    } else if (f.no === 2) raw = Buffer.from(f.bytes ?? Buffer.alloc(0));
  }
  if (apiVersion === 'v1' && kind === 'Secret') return decodeSecret(raw);
  if (apiVersion === 'v1' && kind === 'ConfigMap') return decodeConfigMap(raw);
  if (kind === 'DeleteOptions') return { kind };
  throw unsupportedMediaType(`protobuf ${apiVersion}/${kind} (only Secret and ConfigMap are decoded)`);
}
