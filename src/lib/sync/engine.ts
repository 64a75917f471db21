/**
 * The sync engine as one module, which `TeamService` imports when a workspace is shared: Yjs,
 * y-webrtc, y-websocket and simple-peer are then a chunk of their own, and a cold start of a
 * workspace that is not shared (and every first paint) neither downloads nor evaluates them.
 */
export { SyncTransport } from './transport';
export { WorkspaceSync } from './workspace-sync';
