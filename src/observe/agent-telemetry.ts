import type { Logger } from 'pino';
import { FailureReason } from '../gen/kubectl_smart/incident/v1/incident_pb.js';
import type { AgentMetrics } from './agent-metrics.js';
import type { DeliveryHooks } from './delivery/delivery.js';
import type { Outbox } from './delivery/outbox.js';
import type { LeaderElectionHooks } from './leader-election.js';
import type { ObserverHooks } from './observer.js';

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * What the agent's parts report, mapped once to its Prometheus metrics and its JSON log lines: the
 * observer's detections and harvests, each sink's deliveries and retries, the leader election.
 */
export class AgentTelemetry {
  constructor(
    readonly metrics: AgentMetrics,
    readonly log: Logger,
  ) {}

  /** The observer's hooks. */
  observer(): ObserverHooks {
    const { metrics, log } = this;
    return {
      onPodSeen: () => {
        metrics.podsSeen.inc();
      },
      onDetected: (trigger) => {
        metrics.detected(trigger);
        log.debug(
          {
            pod: `${trigger.namespace}/${trigger.pod}`,
            container: trigger.container,
            reason: trigger.reason,
          },
          'detected',
        );
      },
      onDebounced: () => {
        metrics.debounced.inc();
      },
      onHarvested: (incident, harvestMs) => {
        metrics.harvests.inc({ reason: FailureReason[incident.reason] });
        log.info(
          {
            incident: incident.incidentId,
            pod: `${incident.pod?.namespace ?? ''}/${incident.pod?.name ?? ''}`,
            container: incident.container,
            reason: FailureReason[incident.reason],
            redacted: incident.redaction?.total ?? 0,
            harvestMs: Math.round(harvestMs),
          },
          'incident harvested',
        );
      },
      onRedactionFailed: (trigger, error) => {
        metrics.redactionFailures.inc();
        log.error(
          { pod: `${trigger.namespace}/${trigger.pod}`, reason: trigger.reason, err: error.message },
          'redaction failed: incident not sent',
        );
      },
      onHarvestFailed: (trigger, error) => {
        metrics.harvestFailures.inc();
        log.error(
          { pod: `${trigger.namespace}/${trigger.pod}`, reason: trigger.reason, err: String(error) },
          'harvest failed',
        );
      },
    };
  }

  /** One durable sink's delivery hooks; its outbox depth becomes a gauge. */
  delivery(sink: string, outbox: Outbox): DeliveryHooks {
    const { metrics, log } = this;
    metrics.trackOutbox(sink, outbox);
    return {
      onDelivered: (id, latencyMs) => {
        if (latencyMs !== undefined) metrics.sendLatency.observe({ sink }, latencyMs / 1000);
        log.info({ sink, incident: id, latencyMs }, 'incident delivered');
      },
      onRetry: (error, delayMs) => {
        metrics.reconnects.inc({ sink });
        log.warn(
          { sink, err: message(error), retryInMs: delayMs, waiting: outbox.depth },
          'delivery failed; retrying',
        );
      },
    };
  }

  /** The leader election's hooks, for the replica named `identity` on the Lease `lease`. */
  election(identity: string, lease: string): LeaderElectionHooks {
    const { metrics, log } = this;
    return {
      onStartedLeading: () => {
        metrics.leader.set(1);
        log.info({ lease }, 'leading: observing');
      },
      onStoppedLeading: (why) => {
        metrics.leader.set(0);
        if (why === 'lost') log.warn('lost the lease: standing by');
        else log.info('released the lease');
      },
      onNewLeader: (leader) => {
        if (leader !== identity) log.info({ leader: leader ?? null }, 'standing by');
      },
      onError: (error) => {
        log.warn({ err: message(error) }, 'lease not read or written; retrying');
      },
    };
  }
}
