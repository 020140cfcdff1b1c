import { AppError } from '../../core/errors.js';
import type { DataGap } from '../../core/data-gap.js';
import { HttpStatusError, RequestTimeoutError, statusMessage } from './transport.js';

/** The parts of a read that a gap names. */
export interface ReadTarget {
  /** `pods`, `deployments.apps`, `pods/log`. */
  readonly resource: string;
  readonly verb: 'list' | 'get' | 'watch';
  readonly namespace?: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * Sorts a failed read into what it means for the command: a data gap when one resource could not
 * be read (forbidden, not served, too slow) and the rest can still answer; an AppError when nothing
 * will work (server unreachable, credentials rejected).
 */
export function classifyReadFailure(error: unknown, target: ReadTarget, server: string): DataGap {
  const scope = target.namespace === undefined ? '-A' : `-n ${target.namespace}`;
  const [resource, subresource] = target.resource.split('/');
  const check = `kubectl auth can-i ${target.verb} ${resource ?? target.resource} ${subresource === undefined ? '' : `--subresource=${subresource} `}${scope}`;
  const base = {
    resource: target.resource,
    ...(target.namespace === undefined ? {} : { namespace: target.namespace }),
    check,
  };
  if (error instanceof HttpStatusError) {
    if (error.status === 401) {
      throw new AppError(
        'unauthorized',
        `the API server at ${server} rejected the credentials (401); refresh them or pick another --context`,
      );
    }
    if (error.status === 403) return { ...base, reason: 'forbidden', message: statusMessage(error.body) };
    if (error.status === 404) {
      return {
        ...base,
        reason: 'not-served',
        message: `the API server does not serve ${target.resource}`,
        check: `kubectl api-resources | grep ${target.resource.split('.')[0] ?? ''}`,
      };
    }
    return { ...base, reason: 'error', message: `HTTP ${error.status}: ${statusMessage(error.body)}` };
  }
  if (error instanceof RequestTimeoutError) return { ...base, reason: 'timeout', message: error.message };
  if (isUnreachable(error)) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new AppError(
      'unreachable',
      `cannot reach the API server at ${server} (${detail}); check --context and that the cluster is up`,
    );
  }
  throw error;
}

/**
 * Why a followed kind could not be listed or watched, as the error that ends a recording: what a
 * one-shot command would show as a data gap, said in one line with how to check or leave it out.
 * Anything that is not a failed read (a handler's own error) is thrown as it is.
 */
export function followFailure(error: unknown, target: ReadTarget, server: string): AppError {
  const gap = classifyReadFailure(error, target, server);
  const scope = target.namespace === undefined ? 'in all namespaces' : `in namespace ${target.namespace}`;
  return new AppError(
    gap.reason === 'forbidden' ? 'unauthorized' : 'unreachable',
    `cannot ${target.verb} ${target.resource} ${scope}: ${gap.message}; check with ${gap.check}, or leave it out with --kinds`,
    { cause: error },
  );
}

function isUnreachable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    (NETWORK_CODES.has(code) ||
      code.startsWith('ERR_TLS') ||
      code.includes('CERT') ||
      code === 'DEPTH_ZERO_SELF_SIGNED_CERT')
  ) {
    return true;
  }
  return false;
}
