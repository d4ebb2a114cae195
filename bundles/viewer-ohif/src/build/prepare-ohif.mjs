// Fetches the prebuilt OHIF viewer (npm package @ohif/app, whose tarball ships the built dist/),
// checks it against the pinned integrity, and lays it out under the bundle's classes folder,
// rewritten to be served from a sub-path instead of the site root.
//
// Usage: node prepare-ohif.mjs <version> <sha512 integrity> <work dir> <output dir> <base path>
//
// Run by exec-maven-plugin in generate-resources. npm fetches the tarball once into its cache
// (--prefer-offline), so later and offline builds (mvn -o) do not touch the network.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const [version, integrity, workDir, outDir, basePath] = process.argv.slice(2);
if (!basePath || !integrity.startsWith('sha512-') || !/^\/[A-Za-z0-9._-]+\/$/.test(basePath)) {
  console.error('usage: prepare-ohif.mjs <version> <sha512-...> <work dir> <output dir> </base/path/>');
  process.exit(2);
}

// What a site gets nothing from, or must not have:
// - ort/: onnxruntime-web for the in-browser AI segmentation tools (139 MB), which need model
//   weights downloaded from the internet at run time, so they cannot work on an offline PACS;
// - *.map: source maps (38 MB);
// - sw.js: a service worker that imports Workbox from a CDN (OHIF never registers it; it even
//   unregisters old ones in init-service-worker.js);
// - app-config.js: the servlet answers it from the bundle's own configuration template;
// - google.js, _headers, _redirects, serve.json: configs for other hosts (Google Healthcare,
//   Netlify, `serve`).
const EXCLUDED_TOP = new Set(['ort', 'sw.js', 'app-config.js', 'google.js', '_headers', '_redirects', 'serve.json']);
const excluded = rel => EXCLUDED_TOP.has(rel.split('/')[0]) || rel.endsWith('.map');

const stamp = `${version} ${integrity} ${basePath}`;
const stampFile = path.join(outDir, '.ohif-prepared');
if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) {
  console.log(`OHIF ${version} already prepared in ${outDir}`);
  process.exit(0);
}

fs.rmSync(workDir, { recursive: true, force: true });
fs.mkdirSync(workDir, { recursive: true });
const packed = JSON.parse(execFileSync('npm', ['pack', `@ohif/app@${version}`, '--json', '--prefer-offline',
  '--pack-destination', workDir, '--loglevel=error'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
const tarball = path.join(workDir, packed[0].filename);
const actual = 'sha512-' + createHash('sha512').update(fs.readFileSync(tarball)).digest('base64');
if (actual !== integrity) {
  console.error(`@ohif/app@${version}: integrity ${actual} is not the pinned ${integrity}`);
  process.exit(1);
}
execFileSync('tar', ['xzf', tarball, '-C', workDir]);
const dist = path.join(workDir, 'package', 'dist');

fs.rmSync(outDir, { recursive: true, force: true });
let files = 0;
let bytes = 0;
for (const rel of fs.readdirSync(dist, { recursive: true })) {
  const relPosix = rel.split(path.sep).join('/');
  const from = path.join(dist, rel);
  if (excluded(relPosix) || !fs.statSync(from).isFile()) {
    continue;
  }
  const to = path.join(outDir, rel);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
  files++;
  bytes += fs.statSync(to).size;
}

// The build hard-codes the site root: PUBLIC_URL in index.html, every href/src there, webpack's
// public path (__webpack_require__.p) in the entry and worker bundles, the font URL in the CSS and
// the icons in the web manifest. Each rewrite must find something, so that a new OHIF version that
// lays its files out differently fails the build instead of shipping a viewer that 404s.
function rewrite(rel, pattern, replacement, { required = true } = {}) {
  const file = path.join(outDir, rel);
  const text = fs.readFileSync(file, 'utf8');
  let count = 0;
  const result = text.replace(pattern, (...m) => {
    count++;
    return typeof replacement === 'function' ? replacement(...m) : replacement;
  });
  if (count === 0 && required) {
    throw new Error(`${rel}: nothing matched ${pattern}; does @ohif/app@${version} still hard-code "/"?`);
  }
  fs.writeFileSync(file, result);
  return count;
}

rewrite('index.html', /window\.PUBLIC_URL="\/"/g, `window.PUBLIC_URL="${basePath}"`);
rewrite('index.html', /(href|src)="\/(?!\/)/g, (m, attr) => `${attr}="${basePath}`);
let publicPaths = 0;
for (const name of fs.readdirSync(outDir).filter(n => n.endsWith('.js'))) {
  publicPaths += rewrite(name, /__webpack_require__\.p = "\/";/g, `__webpack_require__.p = "${basePath}";`,
    { required: name.startsWith('app.bundle.') });
}
for (const name of fs.readdirSync(outDir).filter(n => n.endsWith('.css'))) {
  rewrite(name, /url\(\/(?!\/)/g, `url(${basePath}`, { required: name === 'app.bundle.css' });
}
rewrite('manifest.json', /"\/assets\//g, `"${basePath}assets/`);

fs.writeFileSync(stampFile, stamp);
console.log(`OHIF ${version}: ${files} files, ${(bytes / 1048576).toFixed(1)} MiB in ${outDir}, `
  + `served from ${basePath} (${publicPaths} webpack public paths rewritten)`);
