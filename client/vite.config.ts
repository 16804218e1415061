import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { strings } from './src/lib/strings';

// In development the API, the Yjs websocket and socket.io live on the Fastify server.
const server = process.env.PARLEY_SERVER ?? 'http://127.0.0.1:3000';

// The bench (`npm run bench -- --only load`) builds into a directory of its own, and once more
// as the pre-issue-13 baseline: one bundle, no precompressed files, no service worker.
const outDir = process.env.PARLEY_BUILD_OUTDIR ?? 'dist';
const baseline = process.env.PARLEY_BUILD_BASELINE === '1';

const COMPRESSIBLE = /\.(js|css|html|svg|json|webmanifest|txt)$/;

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

const escapeHtml = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Moves the stylesheet link above the scripts in the head: the first paint waits for the CSS
 * only, and asked for first it gets the HTML's open connection instead of a new one.
 */
function stylesheetFirst(html: string): string {
  const css = /\s*<link rel="stylesheet"[^>]*>/.exec(html)?.[0];
  const script = html.indexOf('<script type="module"');
  if (!css || script < 0 || html.indexOf(css) < script) return html;
  const without = html.replace(css, '');
  const at = without.indexOf('<script type="module"');
  return `${without.slice(0, at)}${css.trim()}\n    ${without.slice(at)}`;
}

/**
 * Writes `landing.html`: index.html with the start page's skip link and introduction already
 * in the markup (the same elements and classes LandingPage renders), so `/` paints its heading
 * as soon as the HTML and CSS are in, before the script arrives. React then renders the page
 * in its place; the form appears below the same text. The server sends it for `/` only; every
 * other route gets the plain index.html.
 */
function writeLanding(out: string): void {
  const html = stylesheetFirst(fs.readFileSync(path.join(out, 'index.html'), 'utf8'));
  fs.writeFileSync(path.join(out, 'index.html'), html);
  const l = strings.landing;
  const markup =
    `<a class="skip-link" href="#main">${escapeHtml(strings.skipToContent)}</a>` +
    `<main id="main" class="page page--narrow" tabindex="-1"><section class="hero">` +
    `<h1 class="hero__title">${escapeHtml(l.title)}</h1>` +
    `<p class="hero__lead">${escapeHtml(l.lead)}</p>` +
    `<ul class="hero__points">${l.points.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>` +
    `</section></main>`;
  if (!html.includes('<div id="root"></div>')) throw new Error('index.html has no empty #root');
  fs.writeFileSync(path.join(out, 'landing.html'), html.replace('<div id="root"></div>', `<div id="root">${markup}</div>`));
}

/** Writes `sw.js` from client/src/sw/sw.js with the build's file list and a version. */
function writeServiceWorker(root: string, out: string): void {
  const files = walk(out)
    .map((f) => `/${path.relative(out, f).split(path.sep).join('/')}`)
    .filter((f) => !/\.(br|gz)$/.test(f) && f !== '/sw.js' && f !== '/landing.html')
    .sort();
  // `/` is landing.html on the server; `/index.html` is the shell of every other route.
  const precache = ['/', ...files];
  const version = createHash('sha256')
    .update(precache.join('\n'))
    .update(fs.readFileSync(path.join(out, 'index.html')))
    .digest('hex')
    .slice(0, 12);
  const template = fs.readFileSync(path.join(root, 'src/sw/sw.js'), 'utf8');
  const sw = template
    .replace('self.__PARLEY_VERSION__', JSON.stringify(version))
    .replace('self.__PARLEY_PRECACHE__', JSON.stringify(precache));
  fs.writeFileSync(path.join(out, 'sw.js'), sw);
}

/**
 * After the build: writes the service worker (the app shell — HTML, every hashed script and
 * style, icons, manifest — then loads offline after a first visit; it never caches API,
 * websocket or socket.io traffic, see the template), then `<file>.br` (brotli, quality 11) and
 * `<file>.gz` (gzip -9) next to every text file, so the server sends precompressed files
 * (`@fastify/static`'s `preCompressed`) and never compresses per request. A variant that is
 * not smaller is not written.
 */
function postBuild(): Plugin {
  let out = 'dist';
  let root = '.';
  return {
    name: 'parley-post-build',
    apply: 'build',
    configResolved(config) {
      root = config.root;
      out = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      writeLanding(out);
      writeServiceWorker(root, out);
      for (const file of walk(out)) {
        if (!COMPRESSIBLE.test(file)) continue;
        const raw = fs.readFileSync(file);
        const br = zlib.brotliCompressSync(raw, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
            [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
          },
        });
        const gz = zlib.gzipSync(raw, { level: 9 });
        if (br.length < raw.length) fs.writeFileSync(`${file}.br`, br);
        if (gz.length < raw.length) fs.writeFileSync(`${file}.gz`, gz);
      }
    },
  };
}

export default defineConfig(({ command }) => ({
  plugins: [react(), ...(baseline ? [] : [postBuild()])],
  define: { __PARLEY_SW__: JSON.stringify(command === 'build' && !baseline) },
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: false,
    // The CSP forbids inline scripts; keep modulepreload polyfill out of index.html.
    modulePreload: { polyfill: false },
    ...(baseline ? { rolldownOptions: { output: { codeSplitting: false } } } : {}),
  },
  server: {
    proxy: {
      '/api': server,
      '/yjs': { target: server, ws: true },
      '/socket.io': { target: server, ws: true },
    },
  },
}));
