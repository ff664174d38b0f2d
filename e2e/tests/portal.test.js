// End-to-end tests of the public portal in a real browser: every page type
// in both languages (axe-core WCAG 2.1 A/AA, Nu Html Checker, weight),
// navigation (breadcrumb, language switch, filters) and page feedback with
// and without JavaScript. Screenshots go to target/screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { axeCheck, startServer, launchBrowser, resolvePageTypes, root, screenshotDir } from "./helpers.js";

let server;
let browser;
let pages;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  pages = await resolvePageTypes(server.base);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

function each() {
  const out = [];
  for (const [name, fr, en] of pages) {
    out.push([name, "fr", fr]);
    out.push([name, "en", en]);
  }
  return out;
}

test("every page type has zero axe-core violations (WCAG 2.1 A and AA), in French and English", async () => {
  const context = await browser.newContext();
  const failures = [];
  let checked = 0;
  for (const [name, lang, path] of each()) {
    const page = await context.newPage();
    await page.goto(server.base + path);
    assert.equal(await page.getAttribute("html", "lang"), lang, path);
    await axeCheck(page, `${name} ${lang}`, failures);
    checked++;
    await page.close();
  }
  await context.close();
  console.log(`axe: ${checked} pages checked, ${failures.length} violations`);
  assert.deepEqual(failures, []);
});

test("every page type is valid HTML (Nu Html Checker) and weighs under 50 KB with its CSS (150 KB with the map)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "paradiplo-vnu-"));
  const files = [];
  const css = (await (await fetch(`${server.base}/static/paradiplo.css`)).text()).length
    + (await (await fetch(`${server.base}/static/theme.css`)).text()).length;
  const weights = [];
  for (const [name, lang, path] of each()) {
    const res = await fetch(server.base + path);
    const html = Buffer.from(await res.arrayBuffer());
    const file = join(dir, `${name}-${lang}.html`);
    writeFileSync(file, html);
    files.push(file);
    weights.push([`${name}-${lang}`, html.length + css]);
  }
  const heaviest = weights.reduce((a, b) => (b[1] > a[1] ? b : a));
  console.log(`weight: heaviest page ${heaviest[0]} = ${heaviest[1]} bytes HTML+CSS (CSS ${css})`);
  // Pages that carry the world map (issue 8) have a budget of 150 KB, SVG
  // included (network.test.js reports their weights); every other page 50 KB.
  const withMap = new Set(["hub", "partner-list"]);
  for (const [name, w] of weights) {
    const budget = withMap.has(name.replace(/-(fr|en)$/, "")) ? 150 * 1024 : 50 * 1024;
    assert.ok(w < budget, `${name}: ${w} bytes (budget ${budget})`);
  }
  let out;
  try {
    out = execFileSync("java", ["-jar", join(root, "e2e/node_modules/vnu-jar/build/dist/vnu.jar"),
      "--errors-only", "--format", "json", ...files], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    // vnu exits non-zero when it finds errors and writes its report to stderr.
    out = e.stderr || e.stdout;
  }
  const report = JSON.parse(out || "{\"messages\":[]}");
  const errors = report.messages.filter((m) => m.type === "error" || m.subType === "fatal");
  console.log(`vnu: ${files.length} pages checked, ${errors.length} errors`);
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(errors.map((m) => `${m.url.split("/").pop()}:${m.lastLine}: ${m.message}`), []);
});

test("breadcrumb, language switch and list filters work by following links", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.base}/partenaires/baviere`);
  // The breadcrumb leads back to the list.
  await page.locator("nav.breadcrumb a", { hasText: "États fédérés et régions partenaires" }).click();
  assert.equal(new URL(page.url()).pathname, "/partenaires");
  await page.locator("nav.breadcrumb a", { hasText: "Partenaires et organisations" }).click();
  assert.equal(new URL(page.url()).pathname, "/partenaires-et-organisations");
  // The language switch lands on the same page in English.
  await page.goto(`${server.base}/partenaires/baviere`);
  await page.locator("a.lang").click();
  assert.equal(new URL(page.url()).pathname, "/en/partners/baviere");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  await page.locator("a.lang").click();
  assert.equal(new URL(page.url()).pathname, "/partenaires/baviere");
  // Filtering keeps its state in the URL.
  await page.goto(`${server.base}/partenaires`);
  const all = await page.locator("table.list tbody tr").count();
  await page.selectOption("#f-region", "asia");
  await page.getByRole("button", { name: "Filtrer" }).click();
  const url = new URL(page.url());
  assert.equal(url.searchParams.get("region"), "asia");
  const filtered = await page.locator("table.list tbody tr").count();
  assert.ok(filtered > 0 && filtered < all, `${filtered} of ${all}`);
  assert.equal(await page.locator("#f-region").inputValue(), "asia");
  await page.locator("a.lang").click();
  assert.equal(new URL(page.url()).search, "?region=asia");
  await page.close();
});

test("page feedback without JavaScript: plain form posts, thank-you state on the same page", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.base}/organisations?type=intergovernmental`);
  await page.locator("#feedback").getByRole("button", { name: "Oui" }).click();
  assert.equal(new URL(page.url()).searchParams.get("retroaction"), "merci");
  assert.equal(new URL(page.url()).searchParams.get("type"), "intergovernmental");
  assert.match(await page.locator("#feedback .thanks").innerText(), /Merci/);
  await page.goto(`${server.base}/ententes`);
  await page.locator("#feedback").getByRole("button", { name: "Non" }).click();
  assert.equal(new URL(page.url()).searchParams.get("retroaction"), "non");
  await page.getByLabel("L’information n’est pas claire").check();
  await page.locator("#fb-comment").fill("Trop de sigles.");
  await page.getByRole("button", { name: "Envoyer" }).click();
  assert.equal(new URL(page.url()).searchParams.get("retroaction"), "merci");
  assert.deepEqual(await context.cookies(), [], "no cookie needed");
  await context.close();
});

test("page feedback with JavaScript: answers in place without leaving the page", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.base}/en/partners/baviere`);
  await page.locator("#feedback").getByRole("button", { name: "No" }).click();
  assert.equal(page.url(), `${server.base}/en/partners/baviere`, "no navigation");
  assert.ok(await page.locator("#fb-details").isVisible());
  await page.getByLabel("Information is missing").check();
  await page.locator("#fb-comment").fill("Please add the 2024 mission.");
  await page.getByRole("button", { name: "Send" }).click();
  await page.locator("#feedback .thanks").waitFor({ state: "visible" });
  assert.equal(page.url(), `${server.base}/en/partners/baviere`);
  await page.close();
});

test("screenshots of the hub, a partner page and the organization list (desktop and 375 px)", async () => {
  const dir = screenshotDir;
  mkdirSync(dir, { recursive: true });
  for (const [width, height] of [[1280, 900], [375, 800]]) {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    for (const [name, path] of [
      ["hub", "/partenaires-et-organisations"],
      ["partner", "/partenaires/baviere"],
      ["organizations", "/organisations"],
    ]) {
      await page.goto(server.base + path);
      await page.screenshot({ path: join(dir, `${name}-fr-${width}.png`), fullPage: true });
      // Nothing scrolls sideways at this width.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} at ${width}px overflows by ${overflow}px`);
    }
    await context.close();
  }
});
