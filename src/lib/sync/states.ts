/**
 * The connection states a team workspace shows, apart from the transport that reaches them, so
 * that the page can name them before the sync engine (Yjs, y-webrtc) has loaded.
 */
export type TransportState = 'connecting' | 'connected' | 'no-peers' | 'stopped';

export const STATE_TEXT: Record<TransportState, string> = {
  connecting: 'Looking for teammates…',
  connected: 'Connected',
  'no-peers': 'Cannot join: wrong password or no peers online.',
  stopped: 'Not connected',
};
