/**
 * y-webrtc's message framing, as far as Stemma reads or writes it: a varuint message type
 * (0 = sync, 1 = awareness, 3 = query awareness, 4 = tab peer id), and for sync messages the
 * y-protocols sub-type (0 = step 1, 1 = step 2, 2 = update) before the payload.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import {
  messageYjsSyncStep1,
  messageYjsSyncStep2,
  messageYjsUpdate,
  writeSyncStep1,
} from 'y-protocols/sync';
import type * as Y from 'yjs';

/** y-webrtc's type for Yjs sync messages. */
const MESSAGE_SYNC = 0;

export type SyncKind = 'step1' | 'step2' | 'update';

const KINDS: Record<number, SyncKind> = {
  [messageYjsSyncStep1]: 'step1',
  [messageYjsSyncStep2]: 'step2',
  [messageYjsUpdate]: 'update',
};

/** The sync sub-type of a y-webrtc message; null for other messages and garbled bytes. */
export function syncKind(message: Uint8Array): SyncKind | null {
  try {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return null;
    return KINDS[decoding.readVarUint(decoder)] ?? null;
  } catch {
    return null;
  }
}

/** Sync step 1 (this document's state vector), framed as y-webrtc frames it on connect. */
export function syncStep1Message(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}
