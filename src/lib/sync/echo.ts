/**
 * Keeps y-webrtc from sending a peer its own updates back. y-webrtc's document 'update'
 * handler broadcasts every update to every connection, whatever its origin, so each update a
 * peer sends returns to it at once (a first sync of 10,000 events is 7.5 MB back each way).
 *
 * y-webrtc applies a peer's message with the room as the origin, the same for every peer and
 * for other tabs, so the origin alone does not say which peer it came from. But it reads the
 * message and broadcasts the resulting update synchronously, inside the framed connection's
 * 'data' event (see `chunking.ts`): an update whose origin is the room, sent while that
 * connection's message is being read, is the message's own content, unless the document held
 * pending structs (updates that lacked what they build on) before it: the message may have
 * completed them, and then the broadcast carries another peer's changes too, which the sender
 * may lack. Such updates, and every local one, still go to everyone.
 */
import type * as Y from 'yjs';

export class EchoGuard {
  /** Transactions that began while the document held pending structs or deletions. */
  private readonly unsettled = new WeakSet<Y.Transaction>();
  /** Whether the update being broadcast now only repeats what one peer just sent. */
  private echo = false;

  private readonly before = (transaction: Y.Transaction) => {
    const store = this.doc.store;
    if (store.pendingStructs !== null || store.pendingDs !== null) {
      this.unsettled.add(transaction);
    }
  };

  // 'afterTransaction' comes before the 'update' event of the same transaction, whatever the
  // order the 'update' listeners were added in.
  private readonly after = (transaction: Y.Transaction) => {
    this.echo = transaction.origin === this.roomOf() && !this.unsettled.has(transaction);
  };

  /** @param roomOf y-webrtc's room, the origin it applies peers' messages with */
  constructor(
    private readonly doc: Y.Doc,
    private readonly roomOf: () => unknown,
  ) {
    doc.on('beforeTransaction', this.before);
    doc.on('afterTransaction', this.after);
  }

  /** For `LinkHooks.isEcho`: only called while the receiving peer's message is read. */
  isEcho(isUpdate: boolean): boolean {
    return isUpdate && this.echo;
  }

  destroy(): void {
    this.doc.off('beforeTransaction', this.before);
    this.doc.off('afterTransaction', this.after);
  }
}
