import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Outbox } from './delivery/outbox.js';
import type { FailureTrigger } from './failure-detection.js';

/** The agent's Prometheus metrics (`/metrics`), all prefixed `kubectl_smart_`. */
export class AgentMetrics {
  readonly registry = new Registry();
  readonly podsSeen = new Counter({
    name: 'kubectl_smart_pod_updates_total',
    help: 'Pod states judged for failures: one per pod listed and per watch event.',
    registers: [this.registry],
  });
  readonly detections = new Counter({
    name: 'kubectl_smart_detections_total',
    help: 'Failures detected on pods, before debouncing, by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly debounced = new Counter({
    name: 'kubectl_smart_debounced_total',
    help: 'Detections held back because the same pod, container and reason was harvested within the TTL.',
    registers: [this.registry],
  });
  readonly harvests = new Counter({
    name: 'kubectl_smart_harvests_total',
    help: 'Incidents harvested and redacted, ready to send.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly harvestFailures = new Counter({
    name: 'kubectl_smart_harvest_failures_total',
    help: 'Harvests given up after retries (the evidence could not be read).',
    registers: [this.registry],
  });
  readonly redactionFailures = new Counter({
    name: 'kubectl_smart_redaction_failures_total',
    help: 'Incidents not sent because redaction failed (fail closed).',
    registers: [this.registry],
  });
  readonly sendLatency = new Histogram({
    name: 'kubectl_smart_send_latency_seconds',
    help: 'From an incident entering the outbox to the receiver acknowledging it, by sink.',
    labelNames: ['sink'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });
  readonly #outboxes = new Map<string, Outbox>();
  readonly outboxDepth = this.#outboxGauge(
    'kubectl_smart_outbox_depth',
    'Incidents waiting in the outbox, by sink.',
    (outbox) => outbox.depth,
  );
  readonly outboxDropped = this.#outboxGauge(
    'kubectl_smart_outbox_dropped',
    'Incidents dropped (oldest first) because the outbox was full, since the agent started, by sink.',
    (outbox) => outbox.dropped,
  );
  readonly reconnects = new Counter({
    name: 'kubectl_smart_reconnects_total',
    help: 'Failed sends retried after a back-off, by sink.',
    labelNames: ['sink'] as const,
    registers: [this.registry],
  });
  readonly leader = new Gauge({
    name: 'kubectl_smart_leader',
    help: '1 while this replica holds the lease and observes, else 0.',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'kubectl_smart_' });
  }

  detected(trigger: FailureTrigger): void {
    this.detections.inc({ reason: trigger.reason });
  }

  /** Reports a sink's outbox (depth, dropped) at every scrape. */
  trackOutbox(sink: string, outbox: Outbox): void {
    this.#outboxes.set(sink, outbox);
  }

  #outboxGauge(name: string, help: string, read: (outbox: Outbox) => number): Gauge<'sink'> {
    const outboxes = this.#outboxes;
    return new Gauge({
      name,
      help,
      labelNames: ['sink'] as const,
      registers: [this.registry],
      collect() {
        for (const [sink, outbox] of outboxes) this.set({ sink }, read(outbox));
      },
    });
  }
}
