// Stemma is a static single-page app: every route is rendered in the browser.
export const prerender = true;
export const ssr = false;
