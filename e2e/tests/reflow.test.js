// Phone first (WCAG 1.4.10 reflow): every page type in both languages, the
// search pages, the open data page and the API reference, at 320 px: the
// document is no wider than the viewport, and whatever is wider (a table, a
// chart) scrolls inside a named, focusable region. Screenshots at 320, 375
// and 1280 px in target/screenshots/reflow-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startServer, launchBrowser, resolvePageTypes, screenshotDir } from "./helpers.js";

let server;
let browser;
let pages;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  pages = await resolvePageTypes(server.base);
  pages.push(
    ["search", "/recherche?q=bavi%C3%A8re", "/en/search?q=bavaria"],
    ["search-filtered", "/recherche?q=entente&type=agreement", "/en/search?q=agreement&type=agreement"],
    ["open-data", "/donnees-ouvertes", "/en/open-data"],
    ["api", "/api", "/en/api"],
  );
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// What overflows at this width: the document, and wide things outside a
// named, focusable scroll region.
function overflowReport() {
  const viewport = window.innerWidth;
  const doc = document.documentElement.scrollWidth;
  const unnamed = [];
  for (const el of document.querySelectorAll("main table, main svg.viz, main pre")) {
    if (el.getBoundingClientRect().width <= viewport) continue;
    const region = el.closest('[role="region"][aria-label][tabindex="0"]');
    const scrolls = region && getComputedStyle(region).overflowX === "auto";
    if (!scrolls) unnamed.push(el.tagName.toLowerCase() + (el.className?.baseVal ?? el.className ?? ""));
  }
  return { viewport, doc, unnamed };
}

test("every page fits 320 px: no sideways page scroll, wide tables and charts in named scroll regions", async () => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const failures = [];
  let checked = 0;
  for (const [name, fr, en] of pages) {
    for (const path of [fr, en]) {
      const page = await context.newPage();
      await page.goto(server.base + path);
      // Tables inside closed <details> count as a reader opening them sees them.
      await page.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
      const r = await page.evaluate(overflowReport);
      if (r.doc > r.viewport) failures.push(`${name} ${path}: document ${r.doc} px wide at ${r.viewport} px`);
      for (const u of r.unnamed) failures.push(`${name} ${path}: ${u} wider than the screen outside a named scroll region`);
      checked++;
      await page.close();
    }
  }
  await context.close();
  console.log(`reflow: ${checked} pages at 320 px, ${failures.length} problems`);
  assert.ok(checked >= 30, `pages checked: ${checked}`);
  assert.deepEqual(failures, []);
});

test("map marks and their links are at least 24 × 24 px and the home state is marked, at 320 and 1280 px", async () => {
  const failures = [];
  let marks = 0;
  for (const width of [320, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    for (const path of ["/partenaires", "/en/partners", "/partenaires-et-organisations", "/en/partners-and-organizations"]) {
      await page.goto(server.base + path);
      const { sizes, home } = await page.evaluate(() => {
        const sizes = [...document.querySelectorAll("svg.viz-map a.viz-mark")].map((a) => {
          const r = a.getBoundingClientRect();
          return [a.getAttribute("data-slug"), r.width, r.height];
        });
        const h = document.querySelector('svg.viz-map [data-kind="home"]');
        const r = h?.getBoundingClientRect();
        return { sizes, home: h && { label: h.getAttribute("aria-label"), name: h.textContent, w: r.width, h: r.height } };
      });
      if (!home || !home.label.startsWith("Québec") || !home.name.includes("Québec")) {
        failures.push(`${path} at ${width} px: Québec is not marked on the map`);
      } else if (home.w < 24 || home.h < 24) {
        failures.push(`${path} at ${width} px: the Québec mark is ${home.w.toFixed(1)} × ${home.h.toFixed(1)} px`);
      }
      marks += sizes.length;
      for (const [slug, w, h] of sizes) {
        if (w < 24 || h < 24) failures.push(`${path} at ${width} px: ${slug} is ${w.toFixed(1)} × ${h.toFixed(1)} px`);
      }
    }
    await context.close();
  }
  assert.ok(marks > 80, `marks measured: ${marks}`);
  assert.deepEqual(failures, []);
});

test("screenshots of every page type at 320, 375 and 1280 px", async () => {
  mkdirSync(screenshotDir, { recursive: true });
  for (const width of [320, 375, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    for (const [name, fr, en] of pages) {
      for (const [lang, path] of [["fr", fr], ["en", en]]) {
        await page.goto(server.base + path);
        await page.screenshot({ path: join(screenshotDir, `reflow-${name}-${lang}-${width}.png`), fullPage: width !== 1280 });
      }
    }
    await context.close();
  }
});
