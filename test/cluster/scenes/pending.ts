/** Waits until the scheduler marks a Deployment's pods Unschedulable (PodScheduled False). */
import type { KubeClient } from '../harness.ts';
import { condition, waitPods } from './util.ts';

export async function waitUnschedulable(client: KubeClient, ns: string, app: string): Promise<void> {
  await waitPods(
    client,
    ns,
    `app=${app}`,
    (ps) => ps.every((p) => condition(p, 'PodScheduled')?.reason === 'Unschedulable'),
    `${app} Unschedulable`,
  );
}
