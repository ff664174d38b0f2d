// Forced colours (Windows high contrast): the hub's map legend and inset
// titles, and the charts' texts, stay readable. A screenshot of the hub in
// each language emulating `forced-colors: active` goes to
// target/screenshots/hub-forced-colors-*.png, and the contrast of every text
// of the drawings against the drawing's background is measured (≥ 4.5:1).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startServer, launchBrowser, screenshotDir } from "./helpers.js";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// The lowest contrast ratio (WCAG 2.x) of the drawings' texts against their
// SVG's background, and the texts measured.
function drawingContrast() {
  const rgb = (c) => (c.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  let lowest = Infinity;
  let legendLowest = Infinity;
  let texts = 0;
  let legendTexts = 0;
  const worst = [];
  for (const svg of document.querySelectorAll("svg.viz")) {
    const bg = rgb(getComputedStyle(svg).backgroundColor);
    for (const t of svg.querySelectorAll("text")) {
      const r = ratio(rgb(getComputedStyle(t).fill), bg);
      texts++;
      if (t.closest(".viz-legend")) {
        legendTexts++;
        legendLowest = Math.min(legendLowest, r);
      }
      if (r < lowest) lowest = r;
      if (r < 4.5 && worst.length < 5) worst.push(`${t.textContent.trim()}: ${r.toFixed(2)}`);
    }
  }
  return { lowest, texts, legendLowest, legendTexts, worst };
}

test("the hub's map legend and inset titles are readable in forced colours (contrast ≥ 4.5:1), with screenshots", async () => {
  mkdirSync(screenshotDir, { recursive: true });
  for (const scheme of ["dark", "light"]) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, forcedColors: "active", colorScheme: scheme });
    const page = await context.newPage();
    for (const [lang, path] of [["fr", "/partenaires-et-organisations"], ["en", "/en/partners-and-organizations"]]) {
      await page.goto(server.base + path);
      assert.equal(await page.evaluate(() => matchMedia("(forced-colors: active)").matches), true);
      const r = await page.evaluate(drawingContrast);
      console.log(`forced colours (${scheme}) ${path}: ${r.texts} texts, lowest contrast ${r.lowest.toFixed(2)}:1; map legend: ${r.legendTexts} texts, lowest ${r.legendLowest.toFixed(2)}:1`);
      assert.ok(r.texts > 10, `${path}: texts measured: ${r.texts}`);
      // The map legend, measured on its own: every entry, the home state's included.
      assert.ok(r.legendTexts >= 5, `${path}: legend texts measured: ${r.legendTexts}`);
      assert.ok(r.legendLowest >= 4.5, `${path} (${scheme}): map legend contrast ${r.legendLowest.toFixed(2)}:1`);
      assert.ok(r.lowest >= 4.5, `${path} (${scheme}): ${r.worst.join("; ")}`);
      await page.locator(".viz-block-map").screenshot({ path: join(screenshotDir, `hub-forced-colors-${scheme}-${lang}.png`) });
      await page.screenshot({ path: join(screenshotDir, `hub-forced-colors-${scheme}-${lang}-page.png`), fullPage: true });
    }
    await context.close();
  }
});
