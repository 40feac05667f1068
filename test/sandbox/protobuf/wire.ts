/** A minimal protobuf wire-format reader: enough for the Kubernetes messages helm writes. */

export interface Field {
  no: number;
  wireType: number;
  /** varint value (wire type 0) */
  int?: number;
  /** bytes (wire type 2) */
  bytes?: Buffer;
}

function readVarint(buf: Buffer, pos: number): [number, number] {
  let value = 0;
  let mul = 1;
  for (;;) {
    if (pos >= buf.length) throw new Error('protobuf: truncated varint');
    const b = buf[pos++]!;
    // Multiply instead of shifting: int64 generations and sizes do not fit 32-bit bit ops.
    value += (b & 0x7f) * mul;
    mul *= 128;
    if ((b & 0x80) === 0) return [value, pos];
  }
}

export function readFields(buf: Buffer): Field[] {
  const fields: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [tag, p1] = readVarint(buf, pos);
    pos = p1;
    const no = Math.floor(tag / 8);
    const wireType = tag & 7;
    switch (wireType) {
      case 0: {
        const [v, p] = readVarint(buf, pos);
        fields.push({ no, wireType, int: v });
        pos = p;
        break;
      }
      case 1:
        pos += 8;
        fields.push({ no, wireType });
        break;
      case 2: {
        const [len, p] = readVarint(buf, pos);
        if (p + len > buf.length) throw new Error('protobuf: truncated bytes');
        fields.push({ no, wireType, bytes: buf.subarray(p, p + len) });
        pos = p + len;
        break;
      }
      case 5:
        pos += 4;
        fields.push({ no, wireType });
        break;
      default:
        throw new Error(`protobuf: unsupported wire type ${wireType}`);
    }
  }
  return fields;
}

export const str = (f: Field): string => (f.bytes ?? Buffer.alloc(0)).toString('utf8');

/** A `map<string, V>` entry: key is field 1, value field 2. */
export function mapEntry(f: Field): [string, Buffer] {
  let key = '';
  let value = Buffer.alloc(0);
  for (const e of readFields(f.bytes ?? Buffer.alloc(0))) {
    if (e.no === 1) key = str(e);
    if (e.no === 2) value = Buffer.from(e.bytes ?? Buffer.alloc(0));
  }
  return [key, value];
}
