/**
 * The sink addresses `openSink` takes (grpc://, grpcs://, http(s)://, file:, stdout), for schemas that
 * check one before it is opened. Its own module: the config schema reads it on every command, and
 * should not load the gRPC client to do so.
 */
export const SINK_PATTERN = /^(grpcs?:\/\/.+|https?:\/\/.+|file:.+|stdout|-)$/;
