import { resolveChromium } from './browser.js';

/**
 * Runs once, in the main process, before the e2e test files start in parallel workers: a fresh
 * machine extracts the packaged Chromium here, once, instead of in every worker at the same time.
 */
export default async function setup(): Promise<void> {
  await resolveChromium();
}
