/** Servers: the reference incident receiver (gRPC); later the gateway, /metrics and the UI API. */
export { listenOn, parseListen } from './listen.js';
export {
  startIncidentReceiver,
  type IncidentReceiver,
  type IncidentReceiverOptions,
  type ReceiverTls,
} from './incident-receiver.js';
export { startOpsServer, type OpsServer, type OpsServerOptions } from './ops-server.js';
