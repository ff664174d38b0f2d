// A home page that serves people (issue 22, item 5), in a real browser at
// 320 and 1280 px, in both languages: the search form comes before the
// figures and the latest changes; each figure card is one link covering the
// whole card, reached with the keyboard and showing a visible focus ring.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchBrowser } from "./helpers.js";

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

// Order of the home page's parts, and each figure card's link against its card.
function homeReport() {
  const main = document.querySelector("main");
  const pos = (sel) => {
    const el = main.querySelector(sel);
    return el ? [...main.querySelectorAll("*")].indexOf(el) : -1;
  };
  const cards = [...main.querySelectorAll(".figures li")].map((li) => {
    const a = li.querySelector("a");
    const c = li.getBoundingClientRect();
    const r = a?.getBoundingClientRect();
    return { text: li.textContent.trim(), links: li.querySelectorAll("a").length, covers: !!r && Math.abs(r.width - c.width) < 1 && Math.abs(r.height - c.height) < 1, underlined: a && getComputedStyle(a.querySelector(".lbl")).textDecorationLine.includes("underline") };
  });
  return { search: pos('form[role="search"] input[type="search"]'), figures: pos(".figures"), changes: pos(".changes"), table: main.querySelectorAll("table").length, cards };
}

test("home: search first, figure cards that are whole links with a visible focus, then the latest changes", async () => {
  const failures = [];
  for (const width of [320, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    for (const path of ["/", "/en/", "/partenaires-et-organisations", "/en/partners-and-organizations"]) {
      await page.goto(server.base + path);
      const r = await page.evaluate(homeReport);
      const home = path === "/" || path === "/en/";
      if (home) {
        if (r.table) failures.push(`${path}: a table on the home page`);
        if (!(r.search >= 0 && r.search < r.figures && r.figures < r.changes)) failures.push(`${path} at ${width}: order search ${r.search}, figures ${r.figures}, changes ${r.changes}`);
      }
      if (r.cards.length < 3) failures.push(`${path}: ${r.cards.length} figure cards`);
      for (const c of r.cards) {
        if (c.links !== 1 || !c.covers) failures.push(`${path} at ${width}: card «${c.text}» is not one link over the whole card`);
        if (!c.underlined) failures.push(`${path}: card «${c.text}» does not look like a link`);
      }
      // Tab to the first card: its focus ring shows.
      const focus = await page.evaluate(() => {
        const a = document.querySelector(".figures a");
        a.focus({ focusVisible: true });
        const s = getComputedStyle(a);
        return { focused: document.activeElement === a, style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
      });
      await page.keyboard.press("Shift+Tab");
      await page.keyboard.press("Tab");
      const ring = await page.evaluate(() => {
        const a = document.activeElement;
        const s = getComputedStyle(a);
        return { inCard: !!a.closest(".figures"), style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
      });
      if (!focus.focused || !ring.inCard || ring.style === "none" || ring.width < 2) failures.push(`${path} at ${width}: focus ring ${JSON.stringify(ring)}`);
    }
    await context.close();
  }
  assert.deepEqual(failures, []);
});
