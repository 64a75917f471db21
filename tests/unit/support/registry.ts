/** Opens a registry on a fresh fake-IndexedDB workspace and identity, as a new browser would. */
import { openEventRegistry } from '../../../src/lib/registry';
import { uniqueName } from './random';

export async function freshRegistry(label = 'peer') {
  return openEventRegistry({
    workspaceId: uniqueName(`ws-${label}`),
    identityDb: uniqueName(`id-${label}`),
  });
}
