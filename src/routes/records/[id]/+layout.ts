// Record ids are made in the browser (or by an import), so these pages cannot be rendered
// ahead of time: the static host serves the SPA fallback and the page renders in the browser.
export const prerender = false;
