import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.js';
import { AuditLogFeed } from './audit-log-feed.js';
import { realdataText } from '../../test/support/realdata.js';

const dir = mkdtempSync(join(tmpdir(), 'kubectl-smart-audit-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The real capture: one successful create of Deployment default/nginx-deployment, as one line. */
const CREATE = realdataText('audit/falco_k8saudit_create-deployment_request-level.json').trim();
const createOf = (name: string, auditID: string): string =>
  CREATE.replaceAll('"nginx-deployment"', `"${name}"`).replace(/"auditID":"[^"]+"/, `"auditID":"${auditID}"`);

describe('AuditLogFeed', () => {
  it('indexes what is appended, a line split across writes once it is whole, and a rotated log from its start', () => {
    const path = join(dir, 'audit.log');
    writeFileSync(path, `${createOf('a', '1')}\n`);
    const feed = new AuditLogFeed(path);
    expect(feed.index.size).toBe(1);

    const line = createOf('b', '2');
    appendFileSync(path, line.slice(0, 100));
    feed.refresh();
    expect(feed.index.size).toBe(1);
    appendFileSync(path, `${line.slice(100)}\n`);
    feed.refresh();
    expect(feed.index.size).toBe(2);
    feed.refresh();
    expect(feed.index.size).toBe(2);

    writeFileSync(path, `${createOf('c', '3')}\n`); // rotated: a new, shorter file
    feed.refresh();
    expect(feed.index.size).toBe(3);
    const attribution = feed.index.attribute({
      at: '2018-10-26T13:07:36Z',
      object: { kind: 'Deployment', namespace: 'default', name: 'c' },
      action: 'added',
      fields: [],
    });
    expect(attribution?.auditID).toBe('3');
  });

  it('follows a log the API server rotates by renaming: the old file is read to its end, then the new one', () => {
    // kube-apiserver's --audit-log-maxsize (100 MB by default) renames audit.log to
    // audit-<time>.log and starts a new audit.log.
    const path = join(dir, 'rotating.log');
    const ids = (feed: AuditLogFeed): (string | undefined)[] =>
      ['a', 'b', 'c', 'd', 'e'].map(
        (name) =>
          feed.index.attribute({
            at: '2018-10-26T13:07:36Z',
            object: { kind: 'Deployment', namespace: 'default', name },
            action: 'added',
            fields: [],
          })?.auditID,
      );
    writeFileSync(path, `${createOf('a', '1')}\n`);
    const feed = new AuditLogFeed(path);
    try {
      appendFileSync(path, `${createOf('b', '2')}\n`); // written after the last refresh …
      renameSync(path, join(dir, 'rotating-2026-11-23T16-21-00.000.log')); // … then rotated away
      feed.refresh(); // the new file is not there yet
      expect(ids(feed)).toEqual(['1', '2', undefined, undefined, undefined]);

      writeFileSync(path, `${createOf('c', '3')}\n`);
      feed.refresh();
      expect(ids(feed)).toEqual(['1', '2', '3', undefined, undefined]);

      appendFileSync(path, `${createOf('d', '4')}\n`);
      renameSync(path, join(dir, 'rotating-2026-11-23T16-22-00.000.log'));
      writeFileSync(path, `${createOf('e', '5')}\n`); // rotated between two refreshes
      feed.refresh();
      expect(ids(feed)).toEqual(['1', '2', '3', '4', '5']);
      expect(feed.index.size).toBe(5);
    } finally {
      feed.close();
    }
  });

  it('says in one line which file it cannot read', () => {
    const error = (() => {
      try {
        return new AuditLogFeed(join(dir, 'missing.log'));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('usage');
    expect((error as AppError).message).toMatch(/^--audit-log .*missing\.log: cannot read it/);
  });
});
