// A page of ours opened as a reader opens it: Debian's chromium, headless,
// through playwright-core, with every console error, page error and request
// that is not the file itself collected, so that a test can say the page
// works and opens with no network.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { project_root } from "./cli.js";

export const CHROMIUM = "/usr/bin/chromium";
/** Where Debian's chromium is missing, the browser tests are skipped, saying so (scripts/setup.sh installs it). */
export const has_chromium = fs.existsSync(CHROMIUM);

export interface Opened {
  page: Page;
  /** Console and page errors. */
  problems: string[];
  /** Requests to anything but a file: what would need a network. */
  requests: string[];
}

/** Opens `file` in chromium, runs `look` on it, saves a screenshot to test-results/`shot` when named. */
export async function in_browser(file: string, look: (opened: Opened) => Promise<void>, shot?: string): Promise<void> {
  const { chromium } = await import("playwright-core");
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "dl-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
  try {
    const page = await context.newPage();
    const opened: Opened = { page, problems: [], requests: [] };
    page.on("console", (message) => {
      if (message.type() === "error") opened.problems.push(message.text());
    });
    page.on("pageerror", (error) => opened.problems.push(error.message));
    page.on("request", (request) => {
      if (!request.url().startsWith("file:")) opened.requests.push(request.url());
    });
    await page.goto(`file://${file}`);
    await look(opened);
    if (shot) {
      fs.mkdirSync(path.join(project_root, "test-results"), { recursive: true });
      await page.screenshot({ path: path.join(project_root, "test-results", shot), fullPage: true });
    }
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
