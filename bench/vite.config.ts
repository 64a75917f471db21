// Builds the benchmark page (bench/browser) into bench/dist, apart from the app's own build.
// Suites import the app's modules through `$lib`, exactly as the app does. The page is served
// under /__bench/ on the app's origin, so that it shares IndexedDB with the app.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export default defineConfig({
  root: path('./browser'),
  base: '/__bench/',
  publicDir: false,
  // Runes modules (*.svelte.ts) in $lib need the Svelte compiler.
  plugins: [svelte()],
  resolve: { alias: { $lib: path('../src/lib') } },
  build: {
    outDir: path('./dist'),
    emptyOutDir: true,
    target: 'esnext',
    // Timings are read from the page; readable stack traces matter more than size here.
    minify: false,
    sourcemap: true,
  },
});
