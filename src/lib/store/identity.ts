/**
 * This browser's signing identity: an ECDSA P-256 key pair made on first start. The private
 * key is created non-extractable and kept in IndexedDB as a CryptoKey, so page scripts can
 * sign with it but never read it out. The actor id is the raw public key, base64url.
 */
import { Dexie, type EntityTable } from 'dexie';
import { fromBase64Url, toBase64Url, utf8 } from './bytes';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;

interface IdentityRow {
  slot: string;
  actor: string;
  privateKey: CryptoKey;
  displayName: string;
  createdAt: number;
}

class IdentityDb extends Dexie {
  identities!: EntityTable<IdentityRow, 'slot'>;

  constructor(name: string) {
    super(name);
    this.version(1).stores({ identities: 'slot' });
  }
}

export interface Identity {
  actor: string;
  displayName: string;
  sign(message: string): Promise<string>;
}

/** Opens this browser's identity, creating the key pair on first use. */
export async function loadIdentity(dbName = 'stemma-identity', slot = 'self'): Promise<Identity> {
  const db = new IdentityDb(dbName);
  try {
    let row = await db.identities.get(slot);
    if (!row) {
      const pair = (await crypto.subtle.generateKey(ALGORITHM, false, [
        'sign',
        'verify',
      ])) as CryptoKeyPair;
      const raw = await crypto.subtle.exportKey('raw', pair.publicKey);
      const fresh: IdentityRow = {
        slot,
        actor: toBase64Url(raw),
        privateKey: pair.privateKey,
        displayName: '',
        createdAt: Date.now(),
      };
      // A second tab racing on first start must end with one identity: keep whichever won.
      await db.transaction('rw', db.identities, async () => {
        if (!(await db.identities.get(slot))) await db.identities.add(fresh);
      });
      row = (await db.identities.get(slot)) as IdentityRow;
    }
    return makeIdentity(row);
  } finally {
    db.close();
  }
}

/** Records the display name beside the key, so it survives reloads. */
export async function saveDisplayName(
  displayName: string,
  dbName = 'stemma-identity',
  slot = 'self',
): Promise<void> {
  const db = new IdentityDb(dbName);
  try {
    await db.identities.update(slot, { displayName });
  } finally {
    db.close();
  }
}

function makeIdentity(row: IdentityRow): Identity {
  return {
    actor: row.actor,
    displayName: row.displayName,
    async sign(message) {
      const signature = await crypto.subtle.sign(SIGNING, row.privateKey, utf8(message));
      return toBase64Url(signature);
    },
  };
}

const publicKeys = new Map<string, Promise<CryptoKey | null>>();

function publicKeyOf(actor: string): Promise<CryptoKey | null> {
  let key = publicKeys.get(actor);
  if (!key) {
    key = crypto.subtle
      .importKey('raw', fromBase64Url(actor), ALGORITHM, true, ['verify'])
      .catch(() => null);
    publicKeys.set(actor, key);
  }
  return key;
}

/** True when `signature` is `actor`'s signature over `message`. Never throws. */
export async function verifySignature(
  actor: string,
  message: string,
  signature: string,
): Promise<boolean> {
  try {
    const key = await publicKeyOf(actor);
    if (!key) return false;
    return await crypto.subtle.verify(SIGNING, key, fromBase64Url(signature), utf8(message));
  } catch {
    return false;
  }
}
