// Node has no IndexedDB; fake-indexeddb gives Dexie a spec-following one.
import 'fake-indexeddb/auto';
