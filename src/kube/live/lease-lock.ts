import { AppError } from '../../core/errors.js';
import { HttpStatusError, statusMessage, type KubeTransport } from './transport.js';

/** What a coordination.k8s.io/v1 Lease says about who leads, as the elector reads and writes it. */
export interface LeaseRecord {
  /** Empty or absent: nobody holds it (released). */
  readonly holderIdentity?: string;
  readonly leaseDurationSeconds: number;
  readonly acquireTime?: string;
  readonly renewTime?: string;
  readonly leaseTransitions: number;
}

/** A Lease as read: its record and the resourceVersion an update must name. */
export interface LeaseState {
  readonly record: LeaseRecord;
  readonly resourceVersion: string;
}

/** Someone else wrote the Lease between our read and our write (HTTP 409): we lost the race. */
export class LeaseConflictError extends Error {
  constructor(what: string) {
    super(`${what} was changed by someone else`);
    this.name = 'LeaseConflictError';
  }
}

/** One named Lease: read it, create it, or replace it if nobody wrote it since we read it. */
export interface LeaseLock {
  /** `Lease kubectl-smart/kubectl-smart-agent`, for logs and messages. */
  readonly description: string;
  /** The Lease, or undefined when it does not exist yet. */
  get(): Promise<LeaseState | undefined>;
  /** Creates the Lease; LeaseConflictError when another replica created it first. */
  create(record: LeaseRecord): Promise<LeaseState>;
  /** Replaces the Lease's spec; LeaseConflictError when its resourceVersion moved on. */
  update(record: LeaseRecord, resourceVersion: string): Promise<LeaseState>;
}

interface LeaseObject {
  readonly metadata?: { readonly resourceVersion?: string };
  readonly spec?: Partial<LeaseRecord>;
}

/**
 * A LeaseLock over the API server: GET, POST and PUT on
 * /apis/coordination.k8s.io/v1/namespaces/NS/leases, with optimistic concurrency through
 * `metadata.resourceVersion` (a PUT naming an old version is refused with 409), as client-go's
 * resourcelock does. Forbidden and unauthorized answers are AppErrors naming the missing grant.
 */
export function apiServerLeaseLock(transport: KubeTransport, namespace: string, name: string): LeaseLock {
  const collection = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`;
  const path = `${collection}/${encodeURIComponent(name)}`;
  const description = `Lease ${namespace}/${name}`;
  const body = (record: LeaseRecord, resourceVersion?: string): object => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace,
      labels: { 'app.kubernetes.io/name': 'kubectl-smart', 'app.kubernetes.io/component': 'agent' },
      ...(resourceVersion === undefined ? {} : { resourceVersion }),
    },
    spec: record,
  });
  const call = async (
    verb: 'get' | 'create' | 'update',
    send: () => Promise<unknown>,
  ): Promise<LeaseState> => {
    try {
      return stateOf(await send(), description);
    } catch (error) {
      if (error instanceof HttpStatusError) {
        if (error.status === 409) throw new LeaseConflictError(description);
        if (error.status === 401 || error.status === 403) {
          throw new AppError(
            'unauthorized',
            `cannot ${verb} ${description}: ${statusMessage(error.body)}; grant the agent get, create and update on leases in namespace ${namespace} (deploy/kubernetes/agent-rbac.yaml), or pick another --lease-namespace`,
            { cause: error },
          );
        }
      }
      throw error;
    }
  };
  return {
    description,
    async get() {
      try {
        return await call('get', () => transport.getJson(path, {}));
      } catch (error) {
        if (error instanceof HttpStatusError && error.status === 404) return undefined;
        throw error;
      }
    },
    create: (record) => call('create', () => transport.sendJson('POST', collection, body(record))),
    update: (record, resourceVersion) =>
      call('update', () => transport.sendJson('PUT', path, body(record, resourceVersion))),
  };
}

function stateOf(object: unknown, description: string): LeaseState {
  const lease = object as LeaseObject;
  const spec = lease.spec ?? {};
  const resourceVersion = lease.metadata?.resourceVersion;
  if (resourceVersion === undefined)
    throw new Error(`${description}: the API server answered without a resourceVersion`);
  return {
    resourceVersion,
    record: {
      ...(spec.holderIdentity === undefined || spec.holderIdentity === ''
        ? {}
        : { holderIdentity: spec.holderIdentity }),
      leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
      ...(spec.acquireTime === undefined ? {} : { acquireTime: spec.acquireTime }),
      ...(spec.renewTime === undefined ? {} : { renewTime: spec.renewTime }),
      leaseTransitions: spec.leaseTransitions ?? 0,
    },
  };
}

/** A Lease's MicroTime: RFC 3339 with exactly six fractional digits, as the API server parses it. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
