/**
 * The real captures the tests use, vendored under test/fixtures/realdata (SOURCES.md there names
 * each file's repository, path, commit and licence), so a clone of the repo tests itself.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../../src/core/kube-object.js';

/** The folder of the real captures. */
export const REALDATA_DIR = fileURLToPath(new URL('../fixtures/realdata', import.meta.url));

/** The path of one capture, `pods/…json` relative to {@link REALDATA_DIR}. */
export function realdataPath(path: string): string {
  return `${REALDATA_DIR}/${path}`;
}

/** One capture's text. */
export function realdataText(path: string): string {
  return readFileSync(realdataPath(path), 'utf8');
}

/** One capture parsed as JSON. */
export function realdataJson(path: string): unknown {
  return JSON.parse(realdataText(path));
}

/** The items of a List capture (none for a capture that is not a List). */
export function realdataItems(path: string): KubeObject[] {
  return (realdataJson(path) as { items?: KubeObject[] }).items ?? [];
}
