/**
 * The demo teams' models: what each does (a Markdown description), its framework, files,
 * parameter choices, metric curves, data and repository. Plain data, read by `plan.ts`.
 */
import type { DemoModelSpec } from './teams';

const RECOMMENDER: DemoModelSpec[] = [
  {
    name: 'recsys-two-tower',
    team: 'recommender',
    task: 'candidate-retrieval',
    versions: 3,
    description:
      '# Two-tower retrieval\n\nPicks the **500 candidate items** per visit that the ranker ' +
      'then orders. A user tower and an item tower are trained with in-batch negatives on the ' +
      'clickstream.\n\n- Serves from the `retrieval` ANN index, refreshed nightly\n' +
      '- Embedding size 128, cosine similarity\n\n| stage | p99 latency |\n|---|---|\n' +
      '| user tower | 4 ms |\n| ANN lookup | 9 ms |',
    framework: 'pytorch',
    file: { name: 'two_tower.safetensors', megabytes: 310 },
    extraFiles: ['item_vocab.json'],
    params: {
      embedding_dim: ['128'],
      learning_rate: ['0.001', '0.0005', '0.0003'],
      batch_size: ['4096', '8192'],
      negatives: ['in-batch', 'in-batch+mixed'],
      epochs: ['4', '6', '8'],
    },
    metrics: [
      { key: 'recall_at_500', from: 0.41, to: 0.62, gain: 0.015 },
      { key: 'loss', from: 2.9, to: 1.15, gain: -0.05 },
    ],
    trainedOn: ['clicks-nov', 'catalog'],
    evaluatedOn: ['ab-holdout'],
    repository: 'recsys-platform',
    aliases: 'forward',
  },
  {
    name: 'recsys-ranker-dcn',
    team: 'recommender',
    task: 'ranking',
    versions: 4,
    description:
      '# Deep & Cross ranker\n\nOrders retrieved candidates by predicted engagement. ' +
      'Cross layers model feature interactions that the old GBDT ranker missed.\n\n' +
      '> v3 was rolled back: its NDCG gain came from a leak of next-day clicks into the ' +
      'training window. **champion** points at v2 again until v4 is verified.\n\n' +
      '## Features\n\n1. user history (last 50 items)\n2. item popularity, freshness\n' +
      '3. context: device, hour, locale',
    framework: 'pytorch',
    file: { name: 'ranker.safetensors', megabytes: 540 },
    params: {
      cross_layers: ['2', '3'],
      deep_layers: ['512,256', '1024,512,256'],
      learning_rate: ['0.0005', '0.0002'],
      dropout: ['0.1', '0.2'],
      epochs: ['3', '5'],
    },
    metrics: [
      { key: 'ndcg_at_10', from: 0.31, to: 0.452, gain: 0.008 },
      { key: 'auc', from: 0.7, to: 0.791, gain: 0.004 },
      { key: 'loss', from: 0.69, to: 0.43, gain: -0.01 },
    ],
    trainedOn: ['clicks-dec'],
    evaluatedOn: ['ab-holdout'],
    repository: 'recsys-platform',
    aliases: 'rollback',
  },
  {
    name: 'recsys-ranker-distilled',
    team: 'recommender',
    task: 'ranking',
    versions: 2,
    description:
      '# Distilled ranker\n\nA 6x smaller student of the DCN ranker for the mobile app, ' +
      "trained on the teacher's scores.\n\n- Runs on device, no network round trip\n" +
      '- Within 1.5 NDCG points of the teacher',
    framework: 'pytorch',
    file: { name: 'ranker_student.onnx', megabytes: 88 },
    params: {
      temperature: ['2.0', '4.0'],
      alpha: ['0.5', '0.7'],
      hidden: ['256,128'],
      learning_rate: ['0.001'],
    },
    metrics: [
      { key: 'ndcg_at_10', from: 0.3, to: 0.437, gain: 0.006 },
      { key: 'loss', from: 1.2, to: 0.51, gain: -0.02 },
    ],
    trainedOn: ['clicks-dec'],
    evaluatedOn: ['ab-holdout'],
    repository: 'recsys-platform',
    aliases: 'forward',
  },
];

const SPEECH: DemoModelSpec[] = [
  {
    name: 'asr-conformer',
    team: 'speech',
    task: 'speech-recognition',
    versions: 3,
    description:
      "# Conformer ASR\n\nThe assistant's speech recogniser: a 120M-parameter Conformer-CTC " +
      'trained on LibriSpeech and our own voice commands.\n\n```text\naudio 16 kHz -> ' +
      '80 log-mel -> 17 conformer blocks -> CTC\n```\n\nWER is on the `test-other` split.',
    framework: 'pytorch',
    file: { name: 'conformer.safetensors', megabytes: 480 },
    extraFiles: ['tokenizer.model', 'preprocessor_config.json'],
    params: {
      blocks: ['16', '17'],
      d_model: ['512'],
      learning_rate: ['0.002', '0.001'],
      spec_augment: ['true'],
      steps: ['200000', '300000'],
    },
    metrics: [
      { key: 'wer', from: 0.42, to: 0.081, gain: -0.006 },
      { key: 'loss', from: 3.4, to: 0.62, gain: -0.04 },
    ],
    trainedOn: ['librispeech', 'voice-commands'],
    evaluatedOn: ['librispeech'],
    repository: 'speech-models',
    aliases: 'rollback',
  },
  {
    name: 'asr-conformer-medical',
    team: 'speech',
    task: 'speech-recognition',
    versions: 2,
    description:
      '# Conformer ASR, clinical dictation\n\nFine-tuned from `asr-conformer` on consented ' +
      'clinic dictation, for the medical-notes feature.\n\n- Learns drug names and dosages\n' +
      '- **Do not** use for general commands: its WER there is worse',
    framework: 'pytorch',
    file: { name: 'conformer_medical.safetensors', megabytes: 480 },
    extraFiles: ['tokenizer.model'],
    params: {
      learning_rate: ['0.0002', '0.0001'],
      frozen_blocks: ['8', '12'],
      steps: ['20000', '40000'],
    },
    metrics: [
      { key: 'wer', from: 0.2, to: 0.064, gain: -0.004 },
      { key: 'loss', from: 1.1, to: 0.41, gain: -0.02 },
    ],
    trainedOn: ['clinic-dictation'],
    evaluatedOn: ['clinic-dictation'],
    repository: 'speech-models',
    aliases: 'forward',
  },
  {
    name: 'asr-conformer-int8',
    team: 'speech',
    task: 'speech-recognition',
    versions: 1,
    description:
      '# Conformer ASR, int8\n\nPost-training int8 quantization of the medical model for ' +
      'on-premise clinic servers without GPUs. 3.6x smaller, 0.3 points WER worse.',
    framework: 'onnx',
    file: { name: 'conformer_medical_int8.onnx', megabytes: 132 },
    params: { quantization: ['int8-dynamic'], calibration_batches: ['256'] },
    metrics: [{ key: 'wer', from: 0.09, to: 0.067, gain: 0 }],
    trainedOn: [],
    evaluatedOn: ['clinic-dictation'],
    repository: 'speech-models',
    aliases: 'none',
  },
  {
    name: 'intent-bert-en',
    team: 'speech',
    task: 'intent-classification',
    versions: 2,
    description:
      '# Intent classifier, English\n\nMaps a transcript to one of **64 intents** ' +
      '(`set_timer`, `play_music`, ...).',
    framework: 'transformers',
    file: { name: 'model.safetensors', megabytes: 438 },
    extraFiles: ['tokenizer.json', 'config.json'],
    params: { base: ['bert-base-uncased'], learning_rate: ['0.00003', '0.00002'], epochs: ['3'] },
    metrics: [
      { key: 'accuracy', from: 0.6, to: 0.941, gain: 0.006 },
      { key: 'loss', from: 2.1, to: 0.22, gain: -0.02 },
    ],
    trainedOn: ['voice-commands'],
    evaluatedOn: ['intent-eval'],
    repository: 'speech-models',
    aliases: 'forward',
  },
  {
    name: 'intent-bert-de',
    team: 'speech',
    task: 'intent-classification',
    versions: 1,
    description: '# Intent classifier, German\n\nThe German counterpart of `intent-bert-en`.',
    framework: 'transformers',
    file: { name: 'model.safetensors', megabytes: 438 },
    extraFiles: ['tokenizer.json', 'config.json'],
    params: { base: ['bert-base-german-cased'], learning_rate: ['0.00003'], epochs: ['4'] },
    metrics: [
      { key: 'accuracy', from: 0.55, to: 0.917, gain: 0 },
      { key: 'loss', from: 2.3, to: 0.31, gain: 0 },
    ],
    trainedOn: ['voice-commands'],
    evaluatedOn: ['intent-eval'],
    repository: 'speech-models',
    aliases: 'forward',
  },
  {
    name: 'intent-bert-multilingual',
    team: 'speech',
    task: 'intent-classification',
    versions: 1,
    description:
      '# Intent classifier, English + German\n\nA weight-space merge (TIES) of the English ' +
      'and German classifiers: one model to serve both locales.\n\n| parent | weight |\n' +
      '|---|---|\n| intent-bert-en v2 | 0.6 |\n| intent-bert-de v1 | 0.4 |',
    framework: 'transformers',
    file: { name: 'model.safetensors', megabytes: 438 },
    extraFiles: ['tokenizer.json', 'config.json'],
    params: { merge_method: ['ties'], density: ['0.5'] },
    metrics: [{ key: 'accuracy', from: 0.88, to: 0.929, gain: 0 }],
    trainedOn: [],
    evaluatedOn: ['intent-eval'],
    repository: 'speech-models',
    aliases: 'forward',
  },
];

const PERCEPTION: DemoModelSpec[] = [
  {
    name: 'perception-detector',
    team: 'perception',
    task: 'object-detection',
    versions: 3,
    description:
      '# 2-D object detector\n\nDetects vehicles, pedestrians, cyclists and cones in the ' +
      'six surround cameras.\n\n## Safety gate\n\nA version becomes **champion** only after ' +
      'the perception eval suite passes:\n\n- pedestrian recall >= 0.95 at 30 m\n' +
      '- no regression on night scenes',
    framework: 'pytorch',
    file: { name: 'detector.pt', megabytes: 250 },
    extraFiles: ['anchors.yaml'],
    params: {
      backbone: ['cspdarknet53'],
      image_size: ['1280', '1536'],
      learning_rate: ['0.01', '0.005'],
      epochs: ['120', '150'],
      mosaic: ['true', 'false'],
    },
    metrics: [
      { key: 'map_50', from: 0.21, to: 0.612, gain: 0.017 },
      { key: 'pedestrian_recall', from: 0.5, to: 0.941, gain: 0.006 },
      { key: 'loss', from: 5.2, to: 1.4, gain: -0.08 },
    ],
    trainedOn: ['fleet-logs'],
    evaluatedOn: ['perception-eval'],
    repository: 'perception-stack',
    aliases: 'rollback',
  },
  {
    name: 'perception-detector-night',
    team: 'perception',
    task: 'object-detection',
    versions: 2,
    description:
      '# Night detector\n\nFine-tuned from the main detector on night drives, where the ' +
      'base model misses dark-clothed pedestrians.',
    framework: 'pytorch',
    file: { name: 'detector_night.pt', megabytes: 250 },
    params: { learning_rate: ['0.001', '0.0005'], epochs: ['20', '30'], frozen: ['backbone'] },
    metrics: [
      { key: 'map_50', from: 0.4, to: 0.574, gain: 0.011 },
      { key: 'pedestrian_recall', from: 0.7, to: 0.953, gain: 0.004 },
    ],
    trainedOn: ['night-drives'],
    evaluatedOn: ['perception-eval'],
    repository: 'perception-stack',
    aliases: 'forward',
  },
  {
    name: 'perception-detector-edge',
    team: 'perception',
    task: 'object-detection',
    versions: 1,
    description:
      '# Detector for the vehicle computer\n\nThe night detector, int8 with TensorRT, for ' +
      'the in-car SoC. 11 ms per frame.',
    framework: 'tensorrt',
    file: { name: 'detector_edge.engine', megabytes: 68 },
    params: { precision: ['int8'], calibration_frames: ['2000'] },
    metrics: [{ key: 'map_50', from: 0.5, to: 0.566, gain: 0 }],
    trainedOn: [],
    evaluatedOn: ['perception-eval'],
    repository: 'perception-stack',
    aliases: 'forward',
  },
  {
    name: 'perception-detector-student',
    team: 'perception',
    task: 'object-detection',
    versions: 1,
    description:
      '# Student detector\n\nA small detector distilled from the main one for the ' +
      'low-cost camera-only trim.',
    framework: 'pytorch',
    file: { name: 'detector_student.pt', megabytes: 41 },
    params: { backbone: ['mobilenetv3'], temperature: ['3.0'], epochs: ['80'] },
    metrics: [{ key: 'map_50', from: 0.2, to: 0.534, gain: 0 }],
    trainedOn: ['fleet-logs'],
    evaluatedOn: ['perception-eval'],
    repository: 'perception-stack',
    aliases: 'none',
  },
  {
    name: 'perception-lanes',
    team: 'perception',
    task: 'lane-segmentation',
    versions: 2,
    description:
      '# Lane segmentation\n\nPer-pixel lane markings and road edges from the front camera.',
    framework: 'pytorch',
    file: { name: 'lanes.safetensors', megabytes: 190 },
    params: { decoder: ['fpn', 'unet'], learning_rate: ['0.0003'], epochs: ['60', '80'] },
    metrics: [
      { key: 'miou', from: 0.3, to: 0.781, gain: 0.012 },
      { key: 'loss', from: 1.6, to: 0.34, gain: -0.02 },
    ],
    trainedOn: ['lane-labels', 'fleet-logs'],
    evaluatedOn: ['perception-eval'],
    repository: 'perception-stack',
    aliases: 'forward',
  },
];

export const DEMO_MODELS: DemoModelSpec[] = [...RECOMMENDER, ...SPEECH, ...PERCEPTION];
