import { formatAge } from '../../core/duration.js';
import type { Evidence, Finding, Fix } from '../../core/finding.js';
import type { ContainerStatus, Pod } from '../../core/kube-types.js';
import { memoryUsageOf, oomKilledStatuses, type MemoryUsage } from '../../core/pod-usage.js';
import { refOf } from '../../core/resource-ref.js';
import type { Snapshot } from '../../core/snapshot.js';
import { formatBytes, formatBytesQuantity, parseBytes } from '../../core/resource-quantity.js';
import { timeMs } from '../../core/time.js';
import { CONTROLLER_KINDS } from '../../core/kinds.js';
import { nsFlag } from '../pod-refs.js';
import { podWorkload, setResourcesCommand } from '../pod-workload.js';
import { defineRule } from '../rule.js';

/** Half as much again as the higher of the limit it went past and what it uses now. */
const RAISE_FACTOR = 1.5;

/**
 * A container killed for using more memory than its limit (OOMKilled, exit 137), now or last time:
 * the limit against the request and against what it uses now (the Metrics API's working set, when
 * metrics-server runs), how often it restarts, and a higher limit to set, derived from the limit it
 * went past and its usage, set on what makes the pod (a Job's template is immutable: re-created).
 * Without a usage figure it says the usage is unknown, how to read it, and that the figure is a
 * first step from the limit alone.
 */
export const outOfMemory = defineRule({
  id: 'out-of-memory',
  summary:
    "a container OOM-killed now or last time: limit vs request vs what it uses now (metrics-server's working set, read only when something was OOM-killed), restarts and their rate, and a higher limit derived from both",
  reads: ['PodMetrics', ...CONTROLLER_KINDS],
  kinds: ['Pod'],
  fixInTemplate: true,
  detect(pod, { snapshot, now }) {
    const ref = refOf(pod);
    const findings: Finding[] = [];
    for (const status of oomKilledStatuses(pod)) {
      const killed = [status.state?.terminated, status.lastState?.terminated].find(
        (t) => t?.reason === 'OOMKilled',
      );
      const container = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find(
        (c) => c.name === status.name,
      );
      const limitText = container?.resources?.limits?.memory;
      const requestText = container?.resources?.requests?.memory;
      const limit = limitText === undefined ? undefined : parseBytes(limitText);
      const usage = memoryUsageOf(snapshot, ref.namespace ?? '', ref.name, status.name);
      const restarts = status.restartCount ?? 0;
      const evidence: Evidence[] = [
        {
          source: 'status',
          text: `container ${status.name}: OOMKilled, exit code ${String(killed?.exitCode ?? 137)}, ${String(restarts)} restarts${killed?.finishedAt === undefined ? '' : `, last at ${killed.finishedAt}`}`,
        },
        { source: 'spec', text: `memory limit ${limitText ?? 'none'}, request ${requestText ?? 'none'}` },
      ];
      if (usage !== undefined)
        evidence.push({
          source: 'metrics',
          text: `container ${status.name} uses ${formatBytes(usage.bytes)} of memory now${limit === undefined ? '' : ` (${share(usage, limit)} of its ${limitText ?? ''} limit)`}${usage.at === undefined ? '' : `, measured at ${usage.at}`}`,
        });
      const trend = restartTrend(pod, status, now);
      if (trend !== undefined) evidence.push({ source: 'status', text: trend });
      const usingNow =
        usage === undefined || limit === undefined
          ? ''
          : `, using ${formatBytes(usage.bytes)} (${share(usage, limit)}) now`;
      findings.push({
        ruleId: this.id,
        severity: 'critical',
        resource: ref,
        message: `container ${status.name} is killed for using more memory than its limit (${limitText ?? 'no limit: the node ran out'}), ${String(restarts)} restarts${usingNow}`,
        evidence,
        fix: raiseLimit(pod, status.name, limit, usage, snapshot),
      });
    }
    return findings;
  },
});

/** How much of the limit the usage is: `94%`. */
function share(usage: MemoryUsage, limit: number): string {
  return `${String(Math.round((usage.bytes / limit) * 100))}%`;
}

/** How often it has been restarting: restarts since the pod started, one every so long, the last when. */
function restartTrend(pod: Pod, status: ContainerStatus, now: Date): string | undefined {
  const restarts = status.restartCount ?? 0;
  const startedMs = timeMs(pod.status?.startTime);
  if (restarts < 2 || startedMs === undefined || now.getTime() <= startedMs) return undefined;
  const age = now.getTime() - startedMs;
  const lastMs = timeMs(status.lastState?.terminated?.finishedAt ?? status.state?.terminated?.finishedAt);
  return `restart trend: ${String(restarts)} restarts in the ${formatAge(age)} since the pod started, about one every ${formatAge(age / restarts)}${lastMs === undefined ? '' : `; the last ${formatAge(now.getTime() - lastMs)} ago`}`;
}

/** A limit half as much again as the higher of the one it went past and what it uses now. */
function raiseLimit(
  pod: Pod,
  container: string,
  limit: number | undefined,
  usage: MemoryUsage | undefined,
  snapshot: Snapshot,
): Fix {
  if (limit === undefined)
    return { summary: 'set a memory limit and request that fit what it uses, or give the node more memory' };
  const base = Math.max(limit, usage?.bytes ?? 0);
  const suggested = formatBytesQuantity(base * RAISE_FACTOR);
  const ref = refOf(pod);
  const change = setResourcesCommand(podWorkload(pod, snapshot), container, `--limits=memory=${suggested}`);
  if (usage === undefined)
    // 1.5× a limit is no measurement: a 100Mi limit may need 120Mi or 2Gi. Say what is unknown
    // and how to read it before naming a figure.
    return {
      summary: `raise the memory limit above its peak use, which is unknown (no usage figures were read): read it while it runs (kubectl top, or container_memory_working_set_bytes in Prometheus); ${suggested} is only 1.5× the current limit, a first step, not a measured figure`,
      commands: [`kubectl ${nsFlag(ref)}top pod ${pod.metadata.name} --containers  # while it runs`, change],
    };
  const why =
    usage.bytes > limit
      ? `${suggested} is 1.5× the ${formatBytes(usage.bytes)} it uses now`
      : `it uses ${formatBytes(usage.bytes)} now and went past the limit when killed; ${suggested} is 1.5× the limit`;
  return { summary: `raise the memory limit above what it uses: ${why}`, commands: [change] };
}
