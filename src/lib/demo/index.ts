/**
 * The demo workspace: three teams (a recommender system, a speech assistant, a driving
 * perception stack) with models, versions, datasets, runs, code, aliases and lineage, made
 * through the Registry API from a seed, marked `stemma.demo=true`, and removable.
 */
export * from './errors';
export { DEMO_MODEL_NAMES, DEMO_SEED, DEMO_TAG, demoPlan, type DemoPlan } from './plan';
export { TEAM_LABELS } from './teams';
export {
  demoStatus,
  loadDemoWorkspace,
  removeDemoWorkspace,
  type DemoStatus,
  type DemoSummary,
} from './workspace';
