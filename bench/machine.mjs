// What a benchmark report says about the machine it ran on.
import { arch, cpus, platform, release, totalmem } from 'node:os';

export function machine() {
  const processors = cpus();
  return {
    cores: processors.length,
    cpuModel: processors[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    platform: `${platform()} ${release()} ${arch()}`,
    node: process.version,
  };
}
