// Starts the real binary on a free port with a fresh data folder, and
// launches Debian's chromium through playwright-core.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { createRequire } from "node:module";

// axe-core itself (Node >= 4) rather than @axe-core/playwright, which wants
// Node >= 22.12 while Debian ships Node 20. Evaluated through the DevTools
// protocol, as @axe-core/playwright does, so the portal's strict
// Content-Security-Policy (no inline script) does not block it.
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
// scripts/test sets both from cargo's own target directory (CARGO_TARGET_DIR or not).
export const bin = process.env.PARADIPLO_BIN || join(root, "target", "debug", "paradiplo");
export const screenshotDir = process.env.PARADIPLO_SCREENSHOTS || join(root, "target", "screenshots");

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

// The binary serving `data` on a free port, once /healthz answers; `stop`
// ends it and removes the data folder.
async function serve(data) {
  const port = await freePort();
  const proc = spawn(bin, ["serve", "--addr", `127.0.0.1:${port}`, "--data", data], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, RUST_LOG: "warn" },
  });
  let stderr = "";
  proc.stderr.on("data", (d) => { stderr += d; });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`paradiplo exited: ${stderr}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`paradiplo did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    async stop() {
      proc.kill("SIGTERM");
      await new Promise((r) => proc.once("exit", r));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

export function startServer() {
  return serve(mkdtempSync(join(tmpdir(), "paradiplo-e2e-")));
}

// The real binary with staff accounts made by `paradiplo user add`
// (password on standard input, as a script would give it).
// `accounts` is a list of [email, role].
export function startWithAccounts(accounts, password) {
  const data = mkdtempSync(join(tmpdir(), "paradiplo-admin-e2e-"));
  for (const [email, role] of accounts) {
    const r = spawnSync(bin, ["user", "add", "--email", email, "--role", role, "--data", data], {
      input: password + "\n",
      env: { ...process.env, PARADIPLO_LANG: "en" },
    });
    if (r.status !== 0) throw new Error(`user add ${email}: ${r.stderr}`);
  }
  return serve(data);
}

// Runs axe-core (WCAG 2.1 A and AA) on the page as it is and adds one line
// per violation to `failures`, prefixed with `what`.
export async function axeCheck(page, what, failures) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    }),
  );
  for (const v of result.violations) {
    failures.push(`${what} (${page.url()}): ${v.id} — ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  }
}

// Signs in through the French form on `page`, which shows it; lands on the dashboard.
export async function signInOn(page, base, email, password) {
  await page.getByLabel("Adresse courriel").fill(email);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.waitForURL(base + "/admin/");
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run",
    ],
  });
}

// One page of each type, in French and English.
export const PAGE_TYPES = [
  ["home", "/", "/en/"],
  ["hub", "/partenaires-et-organisations", "/en/partners-and-organizations"],
  ["partner-list", "/partenaires", "/en/partners"],
  ["partner", "/partenaires/baviere", "/en/partners/baviere"],
  ["grouping-list", "/regroupements", "/en/groupings"],
  ["grouping", "/regroupements/regions-partenaires", "/en/groupings/regions-partenaires"],
  ["organization-list", "/organisations", "/en/organizations"],
  ["organization", "/organisations/unesco", "/en/organizations/unesco"],
  ["agreement-list", "/ententes", "/en/agreements"],
  ["agreement", null, null],
  ["event-list", "/evenements", "/en/events"],
  ["event", null, null],
  ["not-found", "/nulle-part", "/en/nowhere"],
];

// Fills the record pages whose slugs come from the data (first row of the list).
export async function resolvePageTypes(base) {
  const out = [];
  for (const [name, fr, en] of PAGE_TYPES) {
    if (fr) { out.push([name, fr, en]); continue; }
    const list = name === "agreement" ? "/ententes" : "/evenements";
    const html = await (await fetch(base + list)).text();
    const m = html.match(new RegExp(`<th scope="row"><a href="${list}/([^"]+)"`));
    if (!m) throw new Error(`no ${name} in ${list}`);
    const enList = name === "agreement" ? "/en/agreements" : "/en/events";
    out.push([name, `${list}/${m[1]}`, `${enList}/${m[1]}`]);
  }
  return out;
}
