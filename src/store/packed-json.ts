import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { PACKED_JSON_DICTIONARY_1 } from './packed-json-dictionary.js';

/**
 * JSON as the store keeps it on disk: a format byte, then the text deflated with a preset
 * dictionary of the words Kubernetes objects and their diffs are made of. A change's diff is a
 * kilobyte of repeated paths (`status.containerStatuses[api].state.waiting.reason`) that plain
 * deflate has too little text to learn; with the dictionary it shrinks about tenfold.
 *
 * The format byte says how the rest was written; a shipped format never changes meaning (stores
 * hold it for weeks): a new dictionary is a new byte, and readers keep every old one.
 */
const FORMAT_DEFLATE_DICTIONARY_1 = 1;

const dictionary1 = Buffer.from(PACKED_JSON_DICTIONARY_1, 'utf8');

/**
 * zlib's output comes in chunks of this size. Its default, 16 KB, is a fresh buffer outside the
 * heap for every call; below 4 KB Node takes chunks from its shared pool, so packing 10,000 pods
 * (300 bytes each) does not leave 160 MB of buffers for the garbage collector to find.
 */
const CHUNK_BYTES = 2048;

export function packJson(value: unknown): Uint8Array {
  const text = JSON.stringify(value);
  const packed = deflateRawSync(text, { dictionary: dictionary1, chunkSize: CHUNK_BYTES });
  const out = new Uint8Array(packed.length + 1);
  out[0] = FORMAT_DEFLATE_DICTIONARY_1;
  out.set(packed, 1);
  return out;
}

export function unpackJson(bytes: Uint8Array): unknown {
  const format = bytes[0];
  if (format !== FORMAT_DEFLATE_DICTIONARY_1)
    throw new Error(`stored value in unknown format ${String(format)}: written by a newer kubectl-smart?`);
  const text = inflateRawSync(bytes.subarray(1), {
    dictionary: dictionary1,
    chunkSize: CHUNK_BYTES,
  }).toString('utf8');
  return JSON.parse(text) as unknown;
}
