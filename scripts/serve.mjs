// A dependency-free static server for the built app (and the benchmark page). `vite preview`
// serves .svelte-kit/output rather than build/, and must be restarted after every build; this
// serves exactly what a user would deploy.
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** @type {Record<string, string>} */
const mimeTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
};

export class ServeError extends Error {
  /**
   * @param {string} message
   * @param {unknown} [cause]
   */
  constructor(message, cause) {
    super(message, { cause });
    this.name = 'ServeError';
  }
}

/**
 * @typedef {object} StaticServerOptions
 * @property {string} root folder to serve
 * @property {number} [port] 0 picks a free port
 * @property {string} [host]
 * @property {string | null} [fallback] file (relative to root) served for unknown page routes
 * @property {Record<string, string>} [headers] extra headers on every response
 * @property {Record<string, string>} [mounts] more folders, by URL prefix ('/__bench/'), served
 *   beside root on the same origin; they get no fallback
 */

/**
 * @typedef {object} StaticServer
 * @property {string} url base URL, ending in a slash
 * @property {import('node:http').Server} server
 * @property {() => Promise<void>} close stops listening and drops open connections
 */

/** @param {string} path */
function cacheControl(path) {
  // Hashed bundles never change; everything else must be revalidated so that a new build (and
  // a new service worker) reaches the browser at once.
  if (path.includes('/_app/immutable/')) return 'public, max-age=31536000, immutable';
  return 'no-cache';
}

/**
 * The file a URL path maps to, or null. Tries the path itself, its index.html and the
 * `.html` file that adapter-static writes for a prerendered route.
 *
 * @param {string} root
 * @param {string} urlPath
 * @returns {Promise<string | null>}
 */
async function resolveFile(root, urlPath) {
  const target = normalize(join(root, urlPath));
  if (target !== root && !target.startsWith(root + sep)) return null;

  for (const candidate of [target, join(target, 'index.html'), `${target}.html`]) {
    const info = await stat(candidate).catch(() => null);
    if (info?.isFile()) return candidate;
  }
  return null;
}

/**
 * Whether a request for a missing file should get the app shell: page navigations do, missing
 * assets get a 404 so that a broken build shows as one.
 *
 * @param {import('node:http').IncomingMessage} request
 * @param {string} urlPath
 */
function wantsShell(request, urlPath) {
  if (urlPath.startsWith('/_app/')) return false;
  return (request.headers.accept ?? '').includes('text/html') || extname(urlPath) === '';
}

/**
 * @typedef {object} Site what one server serves, resolved once at start
 * @property {string} root
 * @property {string | null} fallback
 * @property {[string, string][]} mounts URL prefix and folder
 * @property {Record<string, string>} headers
 */

/**
 * The file a request is answered with, or null for a 404.
 *
 * @param {Site} site
 * @param {import('node:http').IncomingMessage} request
 * @param {string} urlPath
 */
async function locate(site, request, urlPath) {
  const mount = site.mounts.find(([prefix]) => urlPath.startsWith(prefix));
  if (mount) return resolveFile(mount[1], urlPath.slice(mount[0].length - 1));

  const file = await resolveFile(site.root, urlPath);
  if (file || !site.fallback || !wantsShell(request, urlPath)) return file;
  return join(site.root, site.fallback);
}

/**
 * @param {Site} site
 * @param {import('node:http').IncomingMessage} request
 * @param {import('node:http').ServerResponse} response
 */
async function respond(site, request, response) {
  const headers = { ...site.headers };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
    return;
  }

  let urlPath;
  try {
    urlPath = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
  } catch {
    response.writeHead(400, headers).end('Bad request path');
    return;
  }

  const file = await locate(site, request, urlPath);
  const info = file ? await stat(file).catch(() => null) : null;
  if (!file || !info) {
    response.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('Not found');
    return;
  }

  response.writeHead(200, {
    ...headers,
    'Content-Type': mimeTypes[extname(file)] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Cache-Control': cacheControl(urlPath),
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(file)
    .on('error', () => response.destroy())
    .pipe(response);
}

/**
 * Serves a folder over HTTP, with an SPA fallback for unknown routes.
 *
 * @example
 *   const { url, close } = await startStaticServer({ root: 'build', port: 0 });
 * @param {StaticServerOptions} options
 * @returns {Promise<StaticServer>}
 */
export async function startStaticServer(options) {
  /** @type {Site} */
  const site = {
    root: resolve(options.root),
    fallback: options.fallback === undefined ? '200.html' : options.fallback,
    mounts: Object.entries(options.mounts ?? {}).map(([prefix, dir]) => [prefix, resolve(dir)]),
    headers: options.headers ?? {},
  };
  for (const folder of [site.root, ...site.mounts.map(([, folder]) => folder)]) {
    if (!existsSync(folder)) {
      throw new ServeError(
        `Nothing to serve: ${folder} does not exist. Build it first (npm run build, for the app).`,
      );
    }
  }

  const host = options.host ?? '127.0.0.1';
  const server = createServer((request, response) => respond(site, request, response));
  await new Promise((resolveListen, rejectListen) => {
    server.once('error', (error) => {
      const inUse = /** @type {NodeJS.ErrnoException} */ (error).code === 'EADDRINUSE';
      const hint = inUse ? ' It is in use: stop the other server or set PORT to a free one.' : '';
      rejectListen(new ServeError(`Cannot listen on ${host}:${options.port ?? 0}.${hint}`, error));
    });
    server.listen(options.port ?? 0, host, () => resolveListen(undefined));
  });

  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  /** @type {() => Promise<void>} */
  const close = () =>
    new Promise((resolveClose) => {
      server.close(() => resolveClose());
      // Keep-alive connections from a browser would otherwise hold the server open.
      server.closeAllConnections();
    });
  return { url: `http://${host}:${address.port}/`, server, close };
}

async function main() {
  const port = Number(process.env.PORT ?? 4173);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ServeError(`PORT=${process.env.PORT} is not a port number; use one from 1 to 65535.`);
  }
  const root = fileURLToPath(new URL('../build', import.meta.url));
  const { url, close } = await startStaticServer({ root, port });
  console.log(`Stemma is running at ${url}`);

  const stop = async () => {
    await close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(error instanceof ServeError ? error.message : error);
    process.exit(1);
  });
}
