/** What the page can tell about the machine it measures on, for reading results later. */
export async function describeEnvironment(): Promise<Record<string, unknown>> {
  const adapter = await navigator.gpu?.requestAdapter().catch(() => null);
  return {
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    // Chromium only, and rounded by design; still tells a laptop from a workstation.
    deviceMemoryGiB: (navigator as { deviceMemory?: number }).deviceMemory ?? null,
    crossOriginIsolated: globalThis.crossOriginIsolated,
    webgpu: adapter
      ? {
          vendor: adapter.info.vendor,
          architecture: adapter.info.architecture,
          // A fallback adapter is a software rasteriser: WebGPU timings then say nothing of a GPU.
          isFallbackAdapter: adapter.info.isFallbackAdapter,
        }
      : null,
  };
}
