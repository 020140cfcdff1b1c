import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../core/kube-object.js';
import { describeFieldChange, summarizeChange } from './change-summary/index.js';
import { diffObjects } from './field-diff.js';
import { makeChange } from './make-change.js';
import { digestBinaryValue, digestObject, digestSecretValue, isDigest } from './secret-digest.js';
import { copy, setIn } from '../../test/support/memory-fixtures.js';

const KEY = 'c0ffee5eed0f7e11c0ffee5eed0f7e11c0ffee5eed0f7e11c0ffee5eed0f7e11';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

// Values as base64 (as the API server returns them) and as the plain text they decode to.
const PASSWORD = 'czNjcjN0LXBhc3N3MHJk'; // s3cr3t-passw0rd
const NEW_PASSWORD = 'bjN3LXMzY3IzdC0yMDI2'; // n3w-s3cr3t-2026
const USERNAME = 'YXBw'; // app
const SECRET_TEXTS = [PASSWORD, NEW_PASSWORD, 's3cr3t-passw0rd', 'n3w-s3cr3t-2026', 'plain-token-value'];

// `kubectl get secret db -o json` after `kubectl apply`: the annotation repeats every value.
const appliedSecret = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  type: 'Opaque',
  metadata: {
    name: 'db',
    namespace: 'shop',
    uid: '2b7c1d4e-8f3a-4c5b-9d6e-1a2b3c4d5e6f',
    resourceVersion: '48102',
    creationTimestamp: '2026-11-20T02:58:11Z',
    annotations: {
      [LAST_APPLIED]: `{"apiVersion":"v1","data":{"password":"${PASSWORD}","username":"${USERNAME}"},"kind":"Secret","metadata":{"annotations":{"team":"payments"},"name":"db","namespace":"shop"},"type":"Opaque"}\n`,
      team: 'payments',
    },
    managedFields: [
      {
        manager: 'kubectl-client-side-apply',
        operation: 'Update',
        apiVersion: 'v1',
        time: '2026-11-20T02:58:11Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:data': { '.': {}, 'f:password': {}, 'f:username': {} },
          'f:metadata': { 'f:annotations': { '.': {}, [`f:${LAST_APPLIED}`]: {}, 'f:team': {} } },
          'f:type': {},
        },
      },
    ],
  },
  data: { password: PASSWORD, username: USERNAME },
});

/** The same Secret after `kubectl apply` of a new password: value, annotation, rv and manager time move. */
const rotated = (): KubeObject => {
  const after = copy(appliedSecret());
  setIn(after, ['data', 'password'], NEW_PASSWORD);
  setIn(after, ['metadata', 'annotations', LAST_APPLIED], `{"data":{"password":"${NEW_PASSWORD}"}}\n`);
  setIn(after, ['metadata', 'resourceVersion'], '48250');
  setIn(after, ['metadata', 'managedFields', 0, 'time'], '2026-11-20T03:10:40Z');
  return after;
};

function expectNoSecretIn(output: unknown): void {
  const text = JSON.stringify(output);
  for (const secret of SECRET_TEXTS) expect(text).not.toContain(secret);
}

describe('digestSecretValue', () => {
  it('is a truncated keyed HMAC: stable in one store, different under another key', () => {
    const digest = digestSecretValue(PASSWORD, KEY);
    expect(digest).toMatch(/^hmac:[0-9a-f]{16}$/);
    expect(digestSecretValue(PASSWORD, KEY)).toBe(digest);
    expect(digestSecretValue(NEW_PASSWORD, KEY)).not.toBe(digest);
    expect(digestSecretValue(PASSWORD, 'another-store-key')).not.toBe(digest);
    expect(isDigest(digest)).toBe(true);
    expect(isDigest(PASSWORD)).toBe(false);
    expect(digestBinaryValue('iVBORw0KGgo=')).toMatch(/^sha256:[0-9a-f]{16}$/);
  });
});

describe('digestObject', () => {
  it('replaces every value by its digest, keeps the keys, drops the last-applied copy, and is idempotent', () => {
    const digested = digestObject(appliedSecret(), KEY);
    expect(digested.data).toEqual({
      password: digestSecretValue(PASSWORD, KEY),
      username: digestSecretValue(USERNAME, KEY),
    });
    expect(digested.metadata.annotations).toEqual({ team: 'payments' });
    expect(digestObject(digested, KEY)).toEqual(digested);
    expectNoSecretIn(digested);
  });

  it('fails closed: a value that is not a string, or data that is not a map, keeps nothing', () => {
    const odd = copy(appliedSecret());
    setIn(odd, ['data', 'weird'], { nested: PASSWORD });
    setIn(odd, ['stringData'], 'plain-token-value');
    const digested = digestObject(odd, KEY);
    expect((digested.data as Record<string, unknown>).weird).toBeNull();
    expect(digested.stringData).toBeNull();
    expectNoSecretIn(digested);
  });

  it('leaves other kinds alone, but digests a ConfigMap’s binaryData', () => {
    const configMap: KubeObject = {
      kind: 'ConfigMap',
      metadata: { name: 'assets' },
      data: { greeting: 'hello' },
      binaryData: { 'logo.png': 'iVBORw0KGgo=' },
    };
    expect(digestObject(configMap, KEY)).toEqual({
      ...configMap,
      binaryData: { 'logo.png': digestBinaryValue('iVBORw0KGgo=') },
    });
    const pod: KubeObject = { kind: 'Pod', metadata: { name: 'api-0' } };
    expect(digestObject(pod, KEY)).toBe(pod);
  });
});

describe('Secrets through the diff, the summary and the change', () => {
  it('shows a rotated password by digest only', () => {
    const fields = diffObjects(appliedSecret(), rotated(), { secretKey: KEY });
    expect(fields).toEqual([
      {
        path: 'data.password',
        op: 'changed',
        old: digestSecretValue(PASSWORD, KEY),
        new: digestSecretValue(NEW_PASSWORD, KEY),
      },
    ]);
    expectNoSecretIn(fields);
    const [field] = fields;
    if (field === undefined) return;
    const oldHex = digestSecretValue(PASSWORD, KEY).slice(5, 13);
    const newHex = digestSecretValue(NEW_PASSWORD, KEY).slice(5, 13);
    expect(describeFieldChange(field)).toBe(`data.password changed (digest ${oldHex}… → digest ${newHex}…)`);
  });

  it('refuses raw values in the diff layer itself: without a key, the change shows and no value does', () => {
    const fields = diffObjects(appliedSecret(), rotated());
    expect(fields).toEqual([{ path: 'data.password', op: 'changed' }]);
    const created = diffObjects(undefined, appliedSecret());
    expect(created.map((field) => field.path)).toEqual([
      'data.password',
      'data.username',
      'metadata',
      'type',
    ]);
    expectNoSecretIn(created);
    expect(JSON.stringify(created)).not.toContain(USERNAME);
  });

  it('diffs a digested state against the raw one that follows it (a checkpoint, the recorder’s memory)', () => {
    const remembered = digestObject(appliedSecret(), KEY);
    expect(diffObjects(remembered, appliedSecret(), { secretKey: KEY })).toEqual([]);
    expect(diffObjects(remembered, rotated(), { secretKey: KEY })).toEqual([
      {
        path: 'data.password',
        op: 'changed',
        old: digestSecretValue(PASSWORD, KEY),
        new: digestSecretValue(NEW_PASSWORD, KEY),
      },
    ]);
  });

  it('digests stringData, drops values it cannot digest, and keeps nothing of data that is not a map', () => {
    const before = appliedSecret();
    const after = copy(before);
    setIn(after, ['stringData'], { token: 'plain-token-value' });
    setIn(after, ['data', 'password'], { nested: NEW_PASSWORD });
    const fields = diffObjects(before, after, { secretKey: KEY });
    expect(fields).toEqual([
      { path: 'data.password', op: 'changed', old: digestSecretValue(PASSWORD, KEY) },
      { path: 'stringData.token', op: 'added', new: digestSecretValue('plain-token-value', KEY) },
    ]);
    const broken = copy(before);
    setIn(broken, ['data'], PASSWORD);
    const brokenFields = diffObjects(before, broken, { secretKey: KEY });
    expect(brokenFields).toEqual([{ path: 'data', op: 'changed' }]);
    expectNoSecretIn([fields, brokenFields, diffObjects(broken, before), diffObjects(undefined, broken)]);
  });

  it('summarises by key name and never by value; a whole change carries no value anywhere', () => {
    const before = appliedSecret();
    const after = rotated();
    setIn(after, ['data', 'api-token'], 'dG9rZW4=');
    setIn(after, ['data', 'username'], undefined);
    const fields = diffObjects(before, after, { secretKey: KEY });
    expect(summarizeChange({ kind: 'Secret', action: 'modified', fields, before, after })).toEqual([
      'Secret key api-token added',
      'Secret key password changed',
      'Secret key username removed',
    ]);
    const change = makeChange({ at: '2026-11-20T03:10:41Z', before, after, secretKey: KEY });
    expect(change?.actor).toEqual({ manager: 'kubectl-client-side-apply', operation: 'Update' });
    const created = makeChange({ at: '2026-11-20T02:58:12Z', after: before, secretKey: KEY });
    expect(created?.summary).toEqual(['created: keys password, username']);
    const deleted = makeChange({ at: '2026-11-20T04:00:00Z', before: after, secretKey: KEY });
    expectNoSecretIn([change, created, deleted]);
    expect(JSON.stringify([change, created, deleted])).not.toContain('dG9rZW4=');
  });
});
