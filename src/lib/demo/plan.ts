/**
 * The demo workspace as a plan: every model, version, record, alias move and lineage edge to
 * create, derived from the team data in `teams.ts` and a seed. Pure and deterministic: the
 * same seed gives the same plan, value for value, so every newcomer sees the same demo and
 * tests can check what was loaded against what was planned.
 *
 * @example const plan = demoPlan(DEMO_SEED); plan.versions.length; // 28
 */
import type { LineageRelation } from '../lineage/types';
import type {
  RecordCodeInput,
  RecordDatasetInput,
  RecordRunInput,
} from '../registry/lineage-types';
import type {
  CreateModelInput,
  DatasetRef,
  FileRef,
  MetricPoint,
  RegisterVersionInput,
} from '../registry/types';
import { SeededRandom } from './seeded';
import {
  DEMO_DATASETS,
  DEMO_RELATIONS,
  DEMO_REPOSITORIES,
  type DemoMetricSpec,
  type DemoModelSpec,
} from './teams';
import { DEMO_MODELS } from './models';

/** The tag every demo model, version and record carries, with the value `true`. */
export const DEMO_TAG = 'stemma.demo';
export const DEMO_SEED = 20_241_206;

/** Demo history starts here (1 October 2024), so dates do not depend on the day it loads. */
const BASE_TIME = Date.UTC(2024, 9, 1);
const DAY = 86_400_000;
const COMMITS_PER_REPOSITORY = 3;

/** `version:<model>#<n>`, `dataset:<key>`, `run:<model>#<n>` or `code:<repository>#<i>`. */
export type DemoNodeKey = string;

export interface DemoEdgePlan {
  from: DemoNodeKey;
  to: DemoNodeKey;
  relation: LineageRelation;
  weight?: number;
  note?: string;
}

export interface DemoAliasMove {
  model: string;
  alias: 'champion' | 'staging';
  version: number;
}

export interface DemoPlan {
  seed: number;
  models: (CreateModelInput & { tags: Record<string, string> })[];
  /** Each model's versions in number order; `key` is the version's node key. */
  versions: { key: DemoNodeKey; input: RegisterVersionInput & { model: string } }[];
  datasets: { key: DemoNodeKey; input: RecordDatasetInput }[];
  code: { key: DemoNodeKey; input: RecordCodeInput }[];
  runs: { key: DemoNodeKey; input: RecordRunInput }[];
  /** Alias moves in the order they happen; later moves win, rollbacks included. */
  aliases: DemoAliasMove[];
  edges: DemoEdgePlan[];
}

export const versionKey = (model: string, number: number) => `version:${model}#${number}`;
const runKey = (model: string, number: number) => `run:${model}#${number}`;
const codeKey = (repository: string, index: number) => `code:${repository}#${index}`;

function demoTags(extra: Record<string, string>): Record<string, string> {
  return { [DEMO_TAG]: 'true', ...extra };
}

const fixed = (value: number, digits = 4) => Number(value.toFixed(digits));

/**
 * A training curve easing from `spec.from` towards this version's end value, with a little
 * noise: 16 points, one every `stride` steps, an hour apart.
 */
function curve(
  spec: DemoMetricSpec,
  number: number,
  started: number,
  random: SeededRandom,
): MetricPoint[] {
  const end = spec.to + spec.gain * (number - 1);
  const stride = 500 * (1 + (number % 3));
  const noise = Math.abs(end - spec.from) * 0.02;
  const points: MetricPoint[] = [];
  for (let i = 0; i < 16; i++) {
    const eased = 1 - Math.exp(-4 * (i / 15));
    const value = spec.from + (end - spec.from) * (eased / (1 - Math.exp(-4)));
    const jitter = i === 15 ? 0 : random.between(-noise, noise);
    points.push({ value: fixed(value + jitter), step: i * stride, timestamp: started + i * 3.6e6 });
  }
  return points;
}

function files(spec: DemoModelSpec, random: SeededRandom): FileRef[] {
  const jitter = random.between(0.97, 1.03);
  const main = {
    name: spec.file.name,
    size: Math.round(spec.file.megabytes * 1e6 * jitter),
    sha256: random.hex(64),
  };
  const extras = (spec.extraFiles ?? []).map((name) => ({
    name,
    size: random.int(2_000, 2_500_000),
    sha256: random.hex(64),
  }));
  return [main, ...extras];
}

function datasetRefs(keys: string[], role: 'train' | 'eval'): DatasetRef[] {
  return keys.map((key) => {
    const dataset = DEMO_DATASETS.find((candidate) => candidate.key === key)!;
    return { name: dataset.name, version: dataset.version, uri: dataset.uri, role };
  });
}

function versionDescription(spec: DemoModelSpec, number: number, params: Record<string, string>) {
  const recipe = Object.entries(params)
    .slice(0, 3)
    .map(([key, value]) => `\`${key}=${value}\``)
    .join(', ');
  const rolledBack = spec.aliases === 'rollback' && number === 3;
  const lines = [
    number === 1 ? `First release of **${spec.name}**.` : `Retrained from v${number - 1}.`,
    '',
    `- Recipe: ${recipe}`,
    `- Framework: ${spec.framework}`,
  ];
  if (rolledBack) {
    lines.push(
      '',
      '> **Rolled back.** Offline metrics looked better, but the online check ' +
        'failed; champion went back to v2 while the cause is investigated.',
    );
  }
  return lines.join('\n');
}

function aliasMoves(spec: DemoModelSpec): DemoAliasMove[] {
  const moves: DemoAliasMove[] = [];
  const move = (alias: DemoAliasMove['alias'], version: number) =>
    moves.push({ model: spec.name, alias, version });
  if (spec.aliases === 'none') return moves;
  for (let n = 1; n <= spec.versions; n++) {
    if (spec.versions > 1) move('staging', n);
    if (spec.aliases === 'rollback' ? n <= 3 : n < spec.versions || n === 1) move('champion', n);
  }
  // The release that had to be undone: champion returns to v2 and stays there.
  if (spec.aliases === 'rollback') move('champion', 2);
  return moves;
}

/** The demo workspace for `seed`: everything to create, in the order to create it. */
export function demoPlan(seed: number = DEMO_SEED): DemoPlan {
  const random = new SeededRandom(seed);
  const plan: DemoPlan = {
    seed,
    models: [],
    versions: [],
    datasets: [],
    code: [],
    runs: [],
    aliases: [],
    edges: [],
  };

  for (const dataset of DEMO_DATASETS) {
    plan.datasets.push({
      key: `dataset:${dataset.key}`,
      input: {
        name: dataset.name,
        version: dataset.version,
        uri: dataset.uri,
        sha256: random.hex(64),
        tags: demoTags({ team: dataset.team }),
      },
    });
  }

  const commits = new Map<string, string[]>();
  for (const [repository, { team, url }] of Object.entries(DEMO_REPOSITORIES)) {
    const list = Array.from({ length: COMMITS_PER_REPOSITORY }, () => random.hex(40));
    commits.set(repository, list);
    list.forEach((commit, index) => {
      plan.code.push({
        key: codeKey(repository, index),
        input: { repository: url, commit, tags: demoTags({ team }) },
      });
    });
  }

  DEMO_MODELS.forEach((spec, modelIndex) => {
    plan.models.push({
      name: spec.name,
      description: spec.description,
      tags: demoTags({ team: spec.team, task: spec.task }),
    });
    plan.aliases.push(...aliasMoves(spec));

    for (let number = 1; number <= spec.versions; number++) {
      const started = BASE_TIME + (modelIndex * 4 + number * 11) * DAY;
      const params: Record<string, string> = {};
      for (const [key, values] of Object.entries(spec.params)) params[key] = random.pick(values);
      const metrics: Record<string, MetricPoint[]> = {};
      for (const metric of spec.metrics) {
        metrics[metric.key] = curve(metric, number, started, random);
      }
      const commitIndex = Math.min(COMMITS_PER_REPOSITORY - 1, number - 1);
      const commit = commits.get(spec.repository)![commitIndex];
      const key = versionKey(spec.name, number);
      const versionTags: Record<string, string> = { framework: spec.framework };
      if (spec.aliases === 'rollback' && number === 3) versionTags.release = 'rolled-back';

      plan.versions.push({
        key,
        input: {
          model: spec.name,
          description: versionDescription(spec, number, params),
          params,
          metrics,
          datasets: [
            ...datasetRefs(spec.trainedOn, 'train'),
            ...datasetRefs(spec.evaluatedOn, 'eval'),
          ],
          code: {
            repository: DEMO_REPOSITORIES[spec.repository].url,
            commit,
            path: `train/${spec.task}.py`,
          },
          tags: demoTags(versionTags),
          files: files(spec, random),
        },
      });

      if (spec.trainedOn.length > 0) {
        const run = runKey(spec.name, number);
        const finals = Object.fromEntries(
          Object.entries(metrics).map(([metric, points]) => [
            metric,
            points[points.length - 1].value,
          ]),
        );
        plan.runs.push({
          key: run,
          input: {
            name: `train-${spec.name}-v${number}`,
            params,
            metrics: finals,
            codeRef: { repository: DEMO_REPOSITORIES[spec.repository].url, commit },
            environment: {
              python: '3.11',
              framework: spec.framework,
              accelerator: random.pick(['8x A100 80GB', '4x H100', '8x L40S']),
            },
            tags: demoTags({ team: spec.team }),
          },
        });
        plan.edges.push({
          from: codeKey(spec.repository, commitIndex),
          to: run,
          relation: 'produced-by',
        });
        for (const dataset of spec.trainedOn) {
          plan.edges.push({ from: `dataset:${dataset}`, to: run, relation: 'trained-on' });
        }
        plan.edges.push({ from: run, to: key, relation: 'produced-by' });
      }
      for (const dataset of spec.evaluatedOn) {
        plan.edges.push({ from: `dataset:${dataset}`, to: key, relation: 'evaluated-on' });
      }
      if (number > 1) {
        // A version with a parent in another model was rebuilt from that one; the chain
        // inside the model then only says it derives from its predecessor.
        const crossParent = DEMO_RELATIONS.some(
          (link) => link.child[0] === spec.name && link.child[1] === number,
        );
        plan.edges.push({
          from: versionKey(spec.name, number - 1),
          to: key,
          relation: crossParent ? 'derived-from' : 'fine-tuned-from',
          note: crossParent ? undefined : `Warm start from v${number - 1}.`,
        });
      }
    }
  });

  for (const link of DEMO_RELATIONS) {
    plan.edges.push({
      from: versionKey(...link.parent),
      to: versionKey(...link.child),
      relation: link.relation,
      weight: link.weight,
      note: link.note,
    });
  }
  return plan;
}

/** Every model name the demo uses, so a workspace can be checked before anything is made. */
export const DEMO_MODEL_NAMES: readonly string[] = DEMO_MODELS.map((spec) => spec.name);
