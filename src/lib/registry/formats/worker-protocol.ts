/**
 * Messages between the inspection client and its Web Worker. Files travel as Blobs with
 * their names (a File loses its name when cloned in some runtimes); results come back one
 * file at a time so the page shows progress.
 */
import type { InspectLimits } from './limits';
import type { FileInspection } from './types';

export interface WorkerFile {
  blob: Blob;
  name: string;
  path: string;
}

export type InspectionRequest =
  | {
      type: 'inspect';
      id: number;
      files: WorkerFile[];
      /** Paths and sizes of the whole drop, so readers can check siblings. */
      neighbours: [string, number][];
      limits?: Partial<InspectLimits>;
    }
  | { type: 'cancel'; id: number };

export type InspectionResponse =
  | { type: 'started'; id: number; index: number; path: string }
  | { type: 'result'; id: number; index: number; result: FileInspection }
  | { type: 'done'; id: number };

/** The part of a Worker (or a MessagePort) the protocol uses. */
export interface MessageEndpoint {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}
