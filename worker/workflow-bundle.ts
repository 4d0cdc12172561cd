/**
 * The workflow code as a prebuilt bundle, Temporal's way for production workers: webpack runs in
 * a short-lived child process, so no worker holds the bundler's memory, and runs again only when
 * a file the bundle was built from has changed (or the SDK version). `npm run build:workflows`
 * builds it ahead of time, e.g. in an image whose node_modules is read-only at run time.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { type BundleOptions, bundleWorkflowCode } from '@temporalio/worker';

const root = path.resolve(import.meta.dirname, '..');
export const workflowsPath = path.join(root, 'workflows/index.ts');
/**
 * The workflow interceptors (request ids in logs, traces): a prebuilt bundle must carry them, as
 * `Worker.create` ignores `interceptors.workflowModules` when given a bundle.
 */
export const workflowInterceptorsPath = path.join(root, 'workflows/interceptors.ts');
const interceptorModules = () => [path.relative(root, workflowInterceptorsPath)];

/** The cache in node_modules, else (not writable) one in the temp directory. */
const defaultCacheDirs = [
  path.join(root, 'node_modules/.cache/roster'),
  path.join(os.tmpdir(), `roster-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`),
];
const MANIFEST = 'workflow-bundle.json';
/** A bundle runs only on the @temporalio/worker version that built it. */
const sdkVersion = (
  JSON.parse(
    readFileSync(
      path.join(
        path.dirname(createRequire(import.meta.url).resolve('@temporalio/worker')),
        '../package.json',
      ),
      'utf8',
    ),
  ) as { version: string }
).version;

interface Manifest {
  sdk: string;
  /** The interceptor modules bundled with the workflows: another list makes another bundle. */
  interceptors?: string[];
  /** The bundle's file name, next to the manifest. */
  bundle: string;
  /** Every file webpack read (relative to the project) and its sha256. */
  files: Record<string, string>;
  /**
   * The file names in each project folder the bundle took a source from: a new file there (say
   * `greeting.ts` next to `greeting/index.ts`) can change what an import resolves to.
   */
  folders: Record<string, string>;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hashOf = (file: string) => {
  try {
    return sha256(readFileSync(path.resolve(root, file)));
  } catch {
    return null;
  }
};
const listingOf = (folder: string) => {
  try {
    return sha256(readdirSync(path.resolve(root, folder)).sort().join('\n'));
  } catch {
    return null;
  }
};

/** The cached bundle if it was built from the files as they are now. */
function freshBundle(dir: string): string | null {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return null;
  }
  if (manifest.sdk !== sdkVersion) return null;
  if (JSON.stringify(manifest.interceptors ?? []) !== JSON.stringify(interceptorModules())) return null;
  for (const [file, hash] of Object.entries(manifest.files)) if (hashOf(file) !== hash) return null;
  for (const [folder, hash] of Object.entries(manifest.folders)) if (listingOf(folder) !== hash) return null;
  const codePath = path.join(dir, manifest.bundle);
  return existsSync(codePath) ? codePath : null;
}

export interface BundleLocation {
  /** The module whose exported functions are the workflows; `workflows/index.ts` by default. */
  workflowsPath?: string;
  /** Where the bundle is cached; by default node_modules/.cache/roster, else the temp directory. */
  cacheDir?: string;
}

/** Bundles the workflows in this process and caches it with what it was built from; answers its path. */
export async function buildWorkflowBundle(location: BundleLocation = {}): Promise<string> {
  const started = Date.now();
  let inputs: string[] = [];
  const recordInputs = {
    apply(compiler: { hooks: { done: { tap(name: string, fn: (stats: Stats) => void): void } } }) {
      compiler.hooks.done.tap('roster-inputs', (stats) => {
        inputs = [...stats.compilation.fileDependencies];
      });
    },
  };
  const { code } = await bundleWorkflowCode({
    workflowsPath: location.workflowsPath ?? workflowsPath,
    workflowInterceptorModules: [workflowInterceptorsPath],
    logger: quietLogger,
    webpackConfigHook: (config) => ({
      ...config,
      plugins: [...(config.plugins ?? []), recordInputs as unknown as WebpackPlugin],
    }),
  });
  const files: Record<string, string> = {};
  const folders: Record<string, string> = {};
  for (const file of inputs) {
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile()) continue; // directories, and the bundler's in-memory entry point
    const relative = path.relative(root, file);
    // Changed while bundling: the bundle may hold the older text, so the next start builds again.
    files[relative] = stat.mtimeMs >= started ? 'changed' : sha256(readFileSync(file));
    if (!relative.split(path.sep).includes('node_modules') && path.basename(file) !== 'package.json') {
      const folder = path.dirname(relative);
      folders[folder] ??= listingOf(folder) ?? 'gone';
    }
  }
  // Without its inputs a manifest would call any later bundle fresh.
  if (!files[path.relative(root, location.workflowsPath ?? workflowsPath)]) {
    throw new Error('webpack did not report the files it bundled');
  }
  const manifest: Manifest = {
    sdk: sdkVersion,
    interceptors: interceptorModules(),
    bundle: `workflows-${sha256(code).slice(0, 16)}.js`,
    files,
    folders,
  };
  let lastError: unknown;
  for (const dir of location.cacheDir ? [location.cacheDir] : defaultCacheDirs) {
    try {
      mkdirSync(dir, { recursive: true });
      // Written aside and renamed: workers starting at the same time never read half a file.
      const tmp = `.${process.pid}-${Date.now()}`;
      writeFileSync(path.join(dir, manifest.bundle + tmp), code);
      renameSync(path.join(dir, manifest.bundle + tmp), path.join(dir, manifest.bundle));
      const previous = readManifestBundle(dir);
      writeFileSync(path.join(dir, MANIFEST + tmp), JSON.stringify(manifest));
      renameSync(path.join(dir, MANIFEST + tmp), path.join(dir, MANIFEST));
      // Keep the previous bundle for a worker that read the old manifest a moment ago.
      for (const name of readdirSync(dir)) {
        if (/^workflows-\w+\.js$/.test(name) && name !== manifest.bundle && name !== previous) {
          rmSync(path.join(dir, name), { force: true });
        }
      }
      return path.join(dir, manifest.bundle);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

function readManifestBundle(dir: string) {
  try {
    return (JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as Manifest).bundle;
  } catch {
    return null;
  }
}

/**
 * The path of an up-to-date bundle of the workflows, for `Worker.create({ workflowBundle: { codePath } })`:
 * the cached one, or one built now in a child process.
 */
export async function prebuiltWorkflowBundle(location: BundleLocation = {}): Promise<{ codePath: string }> {
  for (const dir of location.cacheDir ? [location.cacheDir] : defaultCacheDirs) {
    const codePath = freshBundle(dir);
    if (codePath) return { codePath };
  }
  const args = [location.workflowsPath ?? workflowsPath, ...(location.cacheDir ? [location.cacheDir] : [])];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'worker/workflow-bundle.ts'), ...args],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  const codePath = out.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !existsSync(codePath))
    throw new Error(`bundling the workflow code failed (exit ${code})`);
  return { codePath };
}

type WebpackPlugin = NonNullable<
  Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0]['plugins']
>[number];
interface Stats {
  compilation: { fileDependencies: Iterable<string> };
}

const quietLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

// `npm run build:workflows`, and the child process above: prints the bundle's path.
if (import.meta.main) {
  const [workflows, cacheDir] = process.argv.slice(2);
  console.log(await buildWorkflowBundle({ workflowsPath: workflows, cacheDir }));
}
