import { describe, expect, it } from 'vitest';
import { decodeProtobuf } from './protobuf/decode.js';

// A tiny encoder, enough to build what client-go sends for helm's Secret writes.
const varint = (n: number): Buffer => {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
};
const field = (no: number, bytes: Buffer | string): Buffer => {
  const b = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  return Buffer.concat([varint(no * 8 + 2), varint(b.length), b]);
};
const entry = (no: number, k: string, v: Buffer | string): Buffer => field(no, Buffer.concat([field(1, k), field(2, v)]));

describe('protobuf request bodies', () => {
  it('decodes the k8s envelope around a Secret like helm sends', () => {
    const meta = Buffer.concat([field(1, 'sh.helm.release.v1.api.v43'), field(3, 'videokit'), entry(11, 'owner', 'helm'), entry(11, 'status', 'pending-rollback'), entry(11, 'version', '43')]);
    const secret = Buffer.concat([field(1, meta), entry(2, 'release', 'H4sIAAAA'), field(3, 'helm.sh/release.v1')]);
    const unknown = Buffer.concat([field(1, Buffer.concat([field(1, 'v1'), field(2, 'Secret')])), field(2, secret), field(4, 'application/vnd.kubernetes.protobuf')]);
    const body = Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), unknown]);
    expect(decodeProtobuf(body)).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'helm.sh/release.v1',
      metadata: { name: 'sh.helm.release.v1.api.v43', namespace: 'videokit', labels: { owner: 'helm', status: 'pending-rollback', version: '43' } },
      data: { release: Buffer.from('H4sIAAAA').toString('base64') },
    });
  });

  it('refuses bodies without the magic and kinds it cannot decode', () => {
    expect(() => decodeProtobuf(Buffer.from('{}'))).toThrow(/magic/);
    const unknown = Buffer.concat([field(1, Buffer.concat([field(1, 'apps/v1'), field(2, 'Deployment')])), field(2, Buffer.alloc(0))]);
    expect(() => decodeProtobuf(Buffer.concat([Buffer.from('k8s\0'), unknown]))).toThrow(/Deployment/);
  });
});
