import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ pages: 'build', assets: 'build', fallback: '200.html' }),
    // Relative paths break deep routes when the service worker serves the shell offline.
    paths: { relative: false },
    serviceWorker: { register: true },
  },
};

export default config;
