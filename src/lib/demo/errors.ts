/** Why the demo workspace could not be loaded or removed, in words a user can act on. */
import { StemmaError } from '../registry/errors';

/** The demo is already in this workspace; loading it twice would duplicate everything. */
export class DemoAlreadyLoadedError extends StemmaError {
  constructor() {
    super(
      'demo-loaded',
      'The demo workspace is already loaded. Remove it first (Remove demo on the models ' +
        'page) if you want a fresh copy.',
    );
  }
}

/** A model of the user's own has the name a demo model needs. */
export class DemoNameTakenError extends StemmaError {
  readonly model: string;

  constructor(model: string) {
    super(
      'demo-name-taken',
      `A model named "${model}" that is not part of the demo already exists, so the demo ` +
        `cannot be loaded here without mixing with it. Try the demo in another workspace.`,
    );
    this.model = model;
  }
}

/** Remove was asked for while no demo item is in the workspace. */
export class DemoNotLoadedError extends StemmaError {
  constructor() {
    super('demo-not-loaded', 'There is no demo workspace to remove; nothing was changed.');
  }
}
