// Model names are the user's own, so these pages cannot be rendered ahead of time: the static
// host serves the SPA fallback for them and the page renders in the browser.
export const prerender = false;
