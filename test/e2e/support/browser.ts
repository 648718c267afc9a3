import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, Result, RunOptions } from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The machine may have no network: keep Chromium from phoning home. */
const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Flags of the serverless build we do not want: in a single process, closing a browser context
 * takes the whole browser down; and the tests should see the web security of a reader's browser.
 */
const PACKAGED_ARGS_DROPPED = new Set(['--single-process', '--disable-web-security', '--allow-running-insecure-content']);

/**
 * CHROME_PATH, then a system Chromium, then the one packaged in @sparticuz/chromium. The packaged
 * one is extracted to the temporary directory on first use; the e2e project's global set-up
 * (./global-setup.ts) calls this once before the test files run in parallel, so that no file
 * starts the binary while another is still writing it (ETXTBSY on a fresh machine).
 */
export async function resolveChromium(): Promise<{ executablePath: string; args: string[] }> {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) return { executablePath: fromEnv, args: [] };
  const system = SYSTEM_CHROMIUM.find((candidate) => fs.existsSync(candidate));
  if (system) return { executablePath: system, args: [] };
  const { default: packaged } = await import('@sparticuz/chromium');
  // Extracts the binary (and its fonts and libraries) to the temporary directory on first use.
  const executablePath = await packaged.executablePath();
  return { executablePath, args: packaged.args.filter((arg) => !PACKAGED_ARGS_DROPPED.has(arg)) };
}

/** One headless Chromium; share it across a test file and open a context or page per journey. */
export async function launchBrowser(): Promise<Browser> {
  const { executablePath, args } = await resolveChromium();
  return chromium.launch({
    executablePath,
    headless: true,
    args: [...new Set([...args, ...BASE_ARGS])],
  });
}

type AxeRun = (context: Document, options: RunOptions) => Promise<AxeResults>;

export interface A11yOptions {
  /**
   * Also report the colour-contrast checks axe could not complete ("incomplete": text that
   * overflows its background box, overlapping elements…). On by default: such nodes hid real
   * contrast failures here once; pass false only for a page with, say, text over an image.
   */
  undeterminedContrast?: boolean;
}

let axeSource: string | undefined;

/**
 * Run axe-core with the WCAG 2.0 and 2.1 A/AA rules on the page as it stands, and describe each
 * problem readably (rule, impact, help, then the selectors and what to fix), so that
 * `expect(await checkA11y(page)).toEqual([])` shows what is wrong when it fails.
 */
export async function checkA11y(page: Page, { undeterminedContrast = true }: A11yOptions = {}): Promise<string[]> {
  axeSource ??= fs.readFileSync(require.resolve('axe-core'), 'utf8');
  // A page still loading has no document to add the script to.
  await page.waitForLoadState('load');
  // Measure the page as it will stay, with its web fonts rather than the fallback ones.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ content: axeSource });
  }
  const options: RunOptions = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } };
  const { violations, incomplete } = await page.evaluate(async (runOptions) => {
    const run = (window as unknown as { axe: { run: AxeRun } }).axe.run;
    const result = await run(document, runOptions);
    // Only plain data crosses back to Node.
    const plain = (results: Result[]) =>
      results.map((r) => ({
        id: r.id,
        impact: r.impact ?? null,
        help: r.help,
        nodes: r.nodes.map((n) => ({
          target: n.target.map(String),
          summary: n.failureSummary ?? [...n.any, ...n.all, ...n.none].map((c) => c.message).join(' / '),
        })),
      }));
    return { violations: plain(result.violations), incomplete: plain(result.incomplete) };
  }, options);
  const undetermined = undeterminedContrast ? incomplete.filter((r) => r.id === 'color-contrast') : [];
  return [
    ...violations.map((v) => formatProblem(v, '')),
    ...undetermined.map((v) => formatProblem(v, ' (axe could not determine it)')),
  ];
}

interface Problem {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; summary: string }[];
}

function formatProblem(p: Problem, note: string): string {
  const shown = p.nodes.slice(0, 5).map((n) => `  - ${n.target.join(' ')}\n    ${n.summary.replace(/\n\s*/g, ' / ')}`);
  if (p.nodes.length > 5) shown.push(`  … and ${p.nodes.length - 5} more`);
  return `[${p.id}] (${p.impact ?? 'n/a'}) ${p.help}${note}\n${shown.join('\n')}`;
}
