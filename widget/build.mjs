// Builds the widget into server/static/dist: the loader (an IIFE served at /widget.js), the panel
// (an ESM entry, its CSS and one lazy chunk per section), the locales, and manifest.json, which is
// how the backend finds the hashed names. `npm run build`; no other step is needed.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const dist = join(root, 'server', 'static', 'dist');
const target = ['chrome100', 'firefox102', 'safari16.4', 'edge100'];

const hash = (data, length = 8) => createHash('sha256').update(data).digest('hex').slice(0, length);

async function buildLoader() {
  await build({
    entryPoints: [join(here, 'js', 'loader', 'index.js')],
    outfile: join(dist, 'loader.js'),
    bundle: true,
    minify: true,
    format: 'iife',
    target,
    legalComments: 'none',
  });
  return 'loader.js';
}

async function buildPanel() {
  const result = await build({
    entryPoints: { panel: join(here, 'js', 'panel', 'index.js') },
    outdir: dist,
    bundle: true,
    splitting: true,
    minify: true,
    format: 'esm',
    target,
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    legalComments: 'none',
    metafile: true,
  });
  const panel = {};
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    const name = relative(dist, join(root, file));
    if (output.entryPoint && name.startsWith('panel-') && name.endsWith('.js')) panel.js = name;
    if (name.startsWith('panel-') && name.endsWith('.css')) panel.css = name;
  }
  if (!panel.js || !panel.css) throw new Error(`panel outputs missing: ${JSON.stringify(panel)}`);
  return panel;
}

// The host-page popups: an ES module the loader imports only when a notification is pending.
const buildPopup = () => buildModule('popup');

// The panel's frame on the host page (the iframe, the messages with the panel, its CSS): an ES
// module the loader imports when the user shows intent, so that it is not downloaded before.
const buildFrame = () => buildModule('frame');

// One self-contained ES module (widget/js/<name>/index.js), named by its hash so it is cached for
// good; the server hands its name to whoever loads it (the loader: the session response, the popup
// socket's hello; the console: the theme page).
async function buildModule(name) {
  const result = await build({
    entryPoints: { [name]: join(here, 'js', name, 'index.js') },
    outdir: dist,
    bundle: true,
    minify: true,
    format: 'esm',
    target,
    entryNames: '[name]-[hash]',
    legalComments: 'none',
    metafile: true,
  });
  return relative(dist, join(root, Object.keys(result.metafile.outputs)[0]));
}

// The console's live theme preview: drawn with the loader's own CSS and the panel's contrast code,
// so what staff see while they edit is what the widget does. Loaded by the console only.
const buildPreview = () => buildModule('preview');

async function buildLocales() {
  const source = join(here, 'locales');
  await mkdir(join(dist, 'locales'), { recursive: true });
  const locales = {};
  for (const file of (await readdir(source)).filter((f) => f.endsWith('.json')).sort()) {
    const lang = file.slice(0, -5);
    const text = JSON.stringify(JSON.parse(await readFile(join(source, file), 'utf8')));
    const name = `locales/${lang}-${hash(text)}.json`;
    await writeFile(join(dist, name), text);
    locales[lang] = name;
  }
  return locales;
}

async function listFiles(dir) {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = await Promise.all(
    entries.map((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)])),
  );
  return files.flat();
}

async function main() {
  await rm(dist, { recursive: true, force: true });
  await mkdir(dist, { recursive: true });
  const [loader, panel, locales, popup, frame, preview] = await Promise.all([
    buildLoader(), buildPanel(), buildLocales(), buildPopup(), buildFrame(), buildPreview(),
  ]);
  const digest = createHash('sha256');
  for (const file of (await listFiles(dist)).sort()) {
    digest.update(relative(dist, file));
    digest.update(await readFile(file));
  }
  const manifest = { version: digest.digest('hex').slice(0, 12), loader, panel, locales, popup, frame, preview };
  await writeFile(join(dist, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`widget built into ${relative(root, dist)} (version ${manifest.version})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
