import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.js';
import { AuditLogFeed } from './audit-log-feed.js';
import { realdataText } from './test-fixtures.js';

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
