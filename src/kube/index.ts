/** Ways to see a cluster, behind one port: the API server and files. */
export { FilesSource, type FilesSourceOptions } from './files/files-source.js';
export { createHttpTransport } from './live/http-transport.js';
export { loadKubeConfig, type KubeConfigOptions, type LoadedKubeConfig } from './live/kubeconfig.js';
export { LiveSource, type LiveSourceOptions } from './live/live-source.js';
export { HttpStatusError, RequestTimeoutError, type KubeTransport } from './live/transport.js';
export type { ClusterSource, FollowEventsOptions, LoadRequest, LoadResult } from './source.js';
