import { FailureReason as ProtoFailureReason } from '../gen/kubectl_smart/incident/v1/incident_pb.js';
import type { FailureReason } from './failure-detection.js';

/** The contract's name for each failure class the observer detects. */
export function failureReasonToProto(reason: FailureReason): ProtoFailureReason {
  switch (reason) {
    case 'CrashLoopBackOff':
      return ProtoFailureReason.CRASH_LOOP_BACK_OFF;
    case 'OOMKilled':
      return ProtoFailureReason.OOM_KILLED;
    case 'ImagePullBackOff':
      return ProtoFailureReason.IMAGE_PULL_BACK_OFF;
    case 'ErrImagePull':
      return ProtoFailureReason.ERR_IMAGE_PULL;
    case 'CreateContainerConfigError':
      return ProtoFailureReason.CREATE_CONTAINER_CONFIG_ERROR;
    case 'InitContainerFailure':
      return ProtoFailureReason.INIT_CONTAINER_FAILURE;
    case 'Evicted':
      return ProtoFailureReason.EVICTED;
    default: {
      const unknown: never = reason;
      throw new Error(`no contract value for failure reason ${String(unknown)}`);
    }
  }
}
