// End-to-end tests of the network drawn on the server (issue 8): the world
// map, the charts and the graph of groupings in a real browser. axe-core with
// every data table opened, the map page's weight budget, one mark per located
// partner, and screenshots of the map page and a chart page (French, 1280 px
// and 375 px) in target/screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { axeCheck, startServer, launchBrowser, screenshotDir } from "./helpers.js";

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

// Every page that carries a drawing, and which.
const DRAWING_PAGES = [
  ["map", "/partenaires", "/en/partners"],
  ["map", "/partenaires-et-organisations", "/en/partners-and-organizations"],
  ["graph", "/regroupements", "/en/groupings"],
  ["chart", "/ententes", "/en/agreements"],
  ["chart", "/organisations", "/en/organizations"],
];

test("pages with drawings have zero axe-core violations, data tables opened, in French and English", async () => {
  const context = await browser.newContext();
  const failures = [];
  let checked = 0;
  for (const [kind, fr, en] of DRAWING_PAGES) {
    for (const path of [fr, en]) {
      const page = await context.newPage();
      await page.goto(server.base + path);
      assert.ok(await page.locator(`.viz-block-${kind} svg`).count() >= 1, `${path}: no ${kind}`);
      // The tables are checked as a reader opening them sees them.
      await page.evaluate(() => document.querySelectorAll("details.viz-data").forEach((d) => { d.open = true; }));
      await axeCheck(page, path, failures);
      checked++;
      await page.close();
    }
  }
  await context.close();
  console.log(`axe (drawings): ${checked} pages checked, ${failures.length} violations`);
  assert.deepEqual(failures, []);
});

test("the map page weighs under 150 KB with its CSS and SVG, uncompressed", async () => {
  const css = (await (await fetch(`${server.base}/static/paradiplo.css`)).text()).length
    + (await (await fetch(`${server.base}/static/theme.css`)).text()).length;
  for (const path of ["/partenaires", "/en/partners", "/partenaires-et-organisations", "/en/partners-and-organizations"]) {
    const html = Buffer.from(await (await fetch(server.base + path)).arrayBuffer());
    const svg = html.toString("utf8").match(/<svg[\s\S]*?<\/svg>/g).join("");
    const total = html.length + css;
    console.log(`weight: ${path} = ${total} bytes (HTML ${html.length}, of which SVG ${Buffer.byteLength(svg)}; CSS ${css})`);
    assert.ok(total < 150 * 1024, `${path}: ${total} bytes`);
  }
});

test("one mark per located partner, each a link to its page with its name", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.base}/partenaires`);
  // The table lists every partner; "Oui" in the last column means on the map.
  const rows = await page.locator(".viz-block-map table tbody tr").evaluateAll((trs) => trs.map((tr) => ({
    name: tr.querySelector("th").textContent.trim(),
    href: tr.querySelector("th a")?.getAttribute("href") ?? null,
    kind: tr.cells[1].textContent.trim(),
    onMap: tr.cells[3].textContent.trim() === "Oui",
  })));
  const located = rows.filter((r) => r.kind === "Partenaire" && r.onMap);
  assert.ok(located.length > 10, `${located.length} located partners`);
  const marks = await page.locator(".viz-map a.viz-mark[data-kind=partner]").evaluateAll((as) => as.map((a) => ({
    href: a.getAttribute("href"),
    label: a.getAttribute("aria-label"),
  })));
  assert.equal(marks.length, located.length);
  for (const r of located) {
    const m = marks.filter((x) => x.href === r.href);
    assert.equal(m.length, 1, `one mark for ${r.name}`);
    assert.ok(m[0].label.startsWith(r.name), `${m[0].label} names ${r.name}`);
  }
  // A mark leads to the partner's page.
  const first = located[0];
  await page.locator(`.viz-map a.viz-mark[href="${first.href}"]`).click();
  assert.equal(new URL(page.url()).pathname, first.href);
  assert.equal((await page.locator("h1").innerText()).trim(), first.name);
  await page.close();
});

test("screenshots of the map page and a chart page, in French, at 1280 px and 375 px", async () => {
  const dir = screenshotDir;
  mkdirSync(dir, { recursive: true });
  for (const [width, height] of [[1280, 900], [375, 800]]) {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    for (const [name, path, selector] of [
      ["map", "/partenaires", ".viz-map"],
      ["chart", "/ententes", ".viz-chart"],
    ]) {
      await page.goto(server.base + path);
      const frame = await page.locator(".viz-frame").first().boundingBox();
      const svg = page.locator(selector).first();
      const box = await svg.boundingBox();
      // The drawing's frame fits the page's width; the drawing fills it.
      assert.ok(frame.width <= width, `${name} at ${width}px: frame ${frame.width}px wide`);
      assert.ok(box.width >= Math.min(width - 60, 600), `${name} at ${width}px: ${box.width}px wide`);
      if (name === "chart") {
        // A chart's labels (16 units) stay at 12 px or more: on a phone the
        // chart scrolls sideways in its frame rather than shrinking.
        const viewBoxWidth = await svg.evaluate((e) => e.viewBox.baseVal.width);
        assert.ok(box.width / viewBoxWidth >= 0.75, `${name} at ${width}px: scale ${box.width / viewBoxWidth}`);
      }
      await page.screenshot({ path: join(dir, `${name}-fr-${width}.png`), fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} at ${width}px overflows by ${overflow}px`);
    }
    await context.close();
  }
});
