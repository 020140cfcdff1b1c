/**
 * Scene builders for the acceptance scenarios of docs/SCENARIOS.md: S1–S15 and S18 (S16
 * needs metrics and is not built; S17 is about alerts, not cluster state). Each sets its scene in the
 * namespace it is given, on a cluster from harness.ts, injects the fault as kubelet / scheduler /
 * controllers would show it, and returns a {@link Scene}: the target to analyze and what the answer
 * must name.
 */
import type { SceneBuilder } from './util.ts';
import { scene01 } from './s01-crashloop-bad-config.ts';
import { scene02 } from './s02-oom-limit-too-low.ts';
import { scene03 } from './s03-image-tag-not-found.ts';
import { scene04 } from './s04-image-pull-unauthorized.ts';
import { scene05 } from './s05-image-pull-rate-limited.ts';
import { scene06 } from './s06-missing-configmap-key.ts';
import { scene07 } from './s07-pending-insufficient-cpu.ts';
import { scene08 } from './s08-pending-untolerated-taint.ts';
import { scene09 } from './s09-pending-unbound-pvc.ts';
import { scene10 } from './s10-readiness-probe-wrong-path.ts';
import { scene11 } from './s11-service-selector-mismatch.ts';
import { scene12 } from './s12-node-notready.ts';
import { scene13 } from './s13-pdb-blocks-drain.ts';
import { scene14 } from './s14-hpa-maxed-out.ts';
import { scene15 } from './s15-cert-expiring.ts';
import { scene18 } from './s18-unmanaged-target.ts';

export type { Scene, SceneBuilder } from './util.ts';
export { sceneInitCrashLoop } from './init-crashloop.ts';
export { evidenceCorpus, missingEvidence } from './util.ts';
export {
  scene01,
  scene02,
  scene03,
  scene04,
  scene05,
  scene06,
  scene07,
  scene08,
  scene09,
  scene10,
  scene11,
  scene12,
  scene13,
  scene14,
  scene15,
  scene18,
};

/** Every scene by its SCENARIOS.md id and name. */
export const SCENES: readonly { readonly id: string; readonly name: string; readonly build: SceneBuilder }[] =
  [
    { id: 'S1', name: 'crashloop-bad-config', build: scene01 },
    { id: 'S2', name: 'oom-limit-too-low', build: scene02 },
    { id: 'S3', name: 'image-tag-not-found', build: scene03 },
    { id: 'S4', name: 'image-pull-unauthorized', build: scene04 },
    { id: 'S5', name: 'image-pull-rate-limited', build: scene05 },
    { id: 'S6', name: 'missing-configmap-key', build: scene06 },
    { id: 'S7', name: 'pending-insufficient-cpu', build: scene07 },
    { id: 'S8', name: 'pending-untolerated-taint', build: scene08 },
    { id: 'S9', name: 'pending-unbound-pvc', build: scene09 },
    { id: 'S10', name: 'readiness-probe-wrong-path', build: scene10 },
    { id: 'S11', name: 'service-selector-mismatch', build: scene11 },
    { id: 'S12', name: 'node-notready', build: scene12 },
    { id: 'S13', name: 'pdb-blocks-drain', build: scene13 },
    { id: 'S14', name: 'hpa-maxed-out', build: scene14 },
    { id: 'S15', name: 'cert-expiring', build: scene15 },
    { id: 'S18', name: 'unmanaged-target', build: scene18 },
  ];
