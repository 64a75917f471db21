/**
 * What the demo workspace is about: three teams, their datasets and repositories, and how
 * their models descend from one another (the models themselves are in `models.ts`). Plain
 * data; `plan.ts` turns it, with a seed, into versions, curves, files, runs and edges.
 */
import type { LineageRelation } from '../lineage/types';

export type DemoTeam = 'recommender' | 'speech' | 'perception';

export interface DemoMetricSpec {
  key: string;
  /** Roughly where the curve starts and where the first version ends up. */
  from: number;
  to: number;
  /** How much each later version improves on the previous one, in the curve's direction. */
  gain: number;
}

export interface DemoModelSpec {
  name: string;
  team: DemoTeam;
  task: string;
  versions: number;
  description: string;
  framework: string;
  /** The main weights file and its rough size in MB. */
  file: { name: string; megabytes: number };
  /** Extra files beside the weights (tokenizers, configs). */
  extraFiles?: string[];
  params: Record<string, readonly string[]>;
  metrics: DemoMetricSpec[];
  /** Dataset keys the training runs read, and those the versions are evaluated on. */
  trainedOn: string[];
  evaluatedOn: string[];
  repository: string;
  /** `rollback` moves champion forward and then back, as after a bad release. */
  aliases: 'rollback' | 'forward' | 'none';
}

export interface DemoDatasetSpec {
  key: string;
  team: DemoTeam;
  name: string;
  version: string;
  uri: string;
}

/** A link between versions of two models: `child` came from `parent`. */
export interface DemoRelationSpec {
  parent: [model: string, version: number];
  child: [model: string, version: number];
  relation: LineageRelation;
  weight?: number;
  note?: string;
}

export const TEAM_LABELS: Record<DemoTeam, string> = {
  recommender: 'Recommender system',
  speech: 'Speech assistant',
  perception: 'Driving perception stack',
};

export const DEMO_REPOSITORIES: Record<string, { team: DemoTeam; url: string }> = {
  'recsys-platform': { team: 'recommender', url: 'https://git.example.com/recsys/platform.git' },
  'speech-models': { team: 'speech', url: 'https://git.example.com/speech/models.git' },
  'perception-stack': { team: 'perception', url: 'https://git.example.com/av/perception.git' },
};

export const DEMO_DATASETS: DemoDatasetSpec[] = [
  {
    key: 'clicks-nov',
    team: 'recommender',
    name: 'clickstream',
    version: '2024-11',
    uri: 's3://recsys-data/clickstream/2024-11/',
  },
  {
    key: 'clicks-dec',
    team: 'recommender',
    name: 'clickstream',
    version: '2024-12',
    uri: 's3://recsys-data/clickstream/2024-12/',
  },
  {
    key: 'catalog',
    team: 'recommender',
    name: 'catalog-snapshot',
    version: 'w49',
    uri: 's3://recsys-data/catalog/2024-w49.parquet',
  },
  {
    key: 'ab-holdout',
    team: 'recommender',
    name: 'ab-holdout',
    version: 'q4',
    uri: 's3://recsys-data/holdout/q4/',
  },
  {
    key: 'librispeech',
    team: 'speech',
    name: 'librispeech',
    version: '960h',
    uri: 'https://www.openslr.org/12',
  },
  {
    key: 'voice-commands',
    team: 'speech',
    name: 'voice-commands',
    version: 'v3',
    uri: 's3://speech-data/voice-commands/v3/',
  },
  {
    key: 'clinic-dictation',
    team: 'speech',
    name: 'clinic-dictation',
    version: '2024-10',
    uri: 's3://speech-data/clinic-dictation/2024-10/',
  },
  {
    key: 'intent-eval',
    team: 'speech',
    name: 'intent-eval',
    version: 'en-de-1.2',
    uri: 's3://speech-data/intent-eval/1.2/',
  },
  {
    key: 'fleet-logs',
    team: 'perception',
    name: 'fleet-drive-logs',
    version: '2024q3',
    uri: 's3://av-data/fleet-logs/2024q3/',
  },
  {
    key: 'night-drives',
    team: 'perception',
    name: 'night-drives',
    version: 'v2',
    uri: 's3://av-data/night-drives/v2/',
  },
  {
    key: 'lane-labels',
    team: 'perception',
    name: 'lane-labels',
    version: '5.1',
    uri: 's3://av-data/lane-labels/5.1/',
  },
  {
    key: 'perception-eval',
    team: 'perception',
    name: 'perception-eval-suite',
    version: '2024.12',
    uri: 's3://av-data/eval-suite/2024.12/',
  },
];

/** How the teams' models came from one another, besides each model's own version chain. */
export const DEMO_RELATIONS: DemoRelationSpec[] = [
  {
    parent: ['recsys-ranker-dcn', 2],
    child: ['recsys-ranker-distilled', 1],
    relation: 'distilled-from',
    note: 'Teacher scores from the champion at the time.',
  },
  {
    parent: ['recsys-ranker-dcn', 4],
    child: ['recsys-ranker-distilled', 2],
    relation: 'distilled-from',
  },
  {
    parent: ['asr-conformer', 2],
    child: ['asr-conformer-medical', 1],
    relation: 'fine-tuned-from',
  },
  {
    parent: ['asr-conformer', 3],
    child: ['asr-conformer-medical', 2],
    relation: 'fine-tuned-from',
  },
  {
    parent: ['asr-conformer-medical', 2],
    child: ['asr-conformer-int8', 1],
    relation: 'quantized-from',
    note: 'Dynamic int8, calibrated on 256 dictation batches.',
  },
  {
    parent: ['intent-bert-en', 2],
    child: ['intent-bert-multilingual', 1],
    relation: 'merged-from',
    weight: 0.6,
  },
  {
    parent: ['intent-bert-de', 1],
    child: ['intent-bert-multilingual', 1],
    relation: 'merged-from',
    weight: 0.4,
  },
  {
    parent: ['perception-detector', 2],
    child: ['perception-detector-night', 1],
    relation: 'fine-tuned-from',
  },
  {
    parent: ['perception-detector', 3],
    child: ['perception-detector-night', 2],
    relation: 'fine-tuned-from',
  },
  {
    parent: ['perception-detector-night', 2],
    child: ['perception-detector-edge', 1],
    relation: 'quantized-from',
  },
  {
    parent: ['perception-detector', 3],
    child: ['perception-detector-student', 1],
    relation: 'distilled-from',
  },
];
