// End-to-end tests of the staff workspace (issue 5) in a real browser:
// sign in, edit a partner, see the validation errors, save a draft, preview
// it, publish it (second person), see it on the public page, open its
// history, restore the previous version, and provoke and resolve an edit
// conflict from two browser contexts. axe-core checks every admin page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { axeCheck, launchBrowser, signInOn, startWithAccounts } from "./helpers.js";

const PASSWORD = "correct horse battery staple";
let server;
let browser;
const axeFailures = [];

before(async () => {
  server = await startWithAccounts([
    ["editor@example.org", "editor"],
    ["editor2@example.org", "editor"],
    ["publisher@example.org", "publisher"],
  ], PASSWORD);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const axe = (page, what) => axeCheck(page, what, axeFailures);

async function signIn(context, email, check = false) {
  const page = await context.newPage();
  await page.goto(server.base + "/admin/");
  // Anonymous: sent to the sign-in form.
  assert.match(page.url(), /\/admin\/login\?next=/);
  if (check) await axe(page, "login");
  await signInOn(page, server.base, email, PASSWORD);
  assert.equal(await page.locator("h1").textContent(), "Tableau de bord");
  return page;
}

async function publicSummary(path) {
  const html = await (await fetch(server.base + path)).text();
  return html;
}

test("edit, validate, draft, preview, publish, history, restore — and an edit conflict", async () => {
  const editorCtx = await browser.newContext();
  const publisherCtx = await browser.newContext();
  const editor = await signIn(editorCtx, "editor@example.org", true);
  await axe(editor, "dashboard");

  // The partner list, and the partner's edit form.
  await editor.goto(server.base + "/admin/records/partner");
  await axe(editor, "partner list");
  await editor.goto(server.base + "/admin/records/partner/baviere");
  await axe(editor, "record");
  await editor.getByRole("link", { name: "Modifier" }).click();
  await editor.waitForURL(/\/edit$/);
  await axe(editor, "edit form");
  const originalSummary = await editor.locator("#f-summary-fr").inputValue();

  // Validation errors: each next to its field, linked to it, in French.
  await editor.locator("#f-name-fr").fill("");
  await editor.locator("#f-since").fill("19x9");
  await editor.getByRole("button", { name: "Enregistrer le brouillon" }).click();
  await editor.locator(".error-summary").waitFor();
  assert.match(await editor.locator("#f-since-err").textContent(), /date invalide/);
  assert.match(await editor.locator("#f-name-fr-err").textContent(), /valeur obligatoire manquante/);
  assert.equal(await editor.locator("#f-since").getAttribute("aria-invalid"), "true");
  assert.match(await editor.locator("#f-since").getAttribute("aria-describedby"), /f-since-err/);
  assert.match(await editor.locator("#change-note-err").textContent(), /obligatoire/);
  assert.equal(await editor.locator("#f-since").inputValue(), "19x9", "what was typed is kept");
  await axe(editor, "edit form with errors");
  // The summary links to the field (keyboard users follow it).
  await editor.locator(".error-summary a[href='#f-since']").click();
  assert.equal(await editor.evaluate(() => location.hash), "#f-since");

  // Fix and save the draft.
  const newSummary = "La Bavière et le Québec coopèrent depuis 1989 (essai de bout en bout).";
  await editor.locator("#f-name-fr").fill("Bavière");
  await editor.locator("#f-since").fill("1989");
  await editor.locator("#f-summary-fr").fill(newSummary);
  await editor.locator("#change-note").fill("Résumé mis à jour");
  await editor.getByRole("button", { name: "Enregistrer le brouillon" }).click();
  await editor.waitForURL(/\/records\/partner\/baviere\?done=saved$/);
  assert.match(await editor.locator(".flash").textContent(), /Brouillon enregistré/);

  // Invisible to the public until published.
  assert.ok(!(await publicSummary("/partenaires/baviere")).includes(newSummary));

  // Preview of the draft as the public would read it.
  await editor.getByRole("link", { name: "Aperçu" }).click();
  assert.match(await editor.locator(".preview-banner").textContent(), /brouillon/);
  assert.match(await editor.locator("article.preview").textContent(), /essai de bout en bout/);
  await axe(editor, "preview");

  // Submit for review; the editor cannot publish (the button is not offered).
  await editor.goto(server.base + "/admin/records/partner/baviere");
  await editor.getByRole("button", { name: "Soumettre pour révision" }).click();
  await editor.waitForURL(/done=submitted/);
  assert.equal(await editor.locator("form[action$='/publish']").count(), 0);

  // A publisher (a second person) publishes it, with a public change note.
  const publisher = await signIn(publisherCtx, "publisher@example.org");
  await publisher.goto(server.base + "/admin/records/partner/baviere");
  assert.match(await publisher.locator("section").textContent(), /Modification de fond/);
  await publisher.locator("#pub-note-fr").fill("Mise à jour du résumé de la relation.");
  await publisher.locator("form[action$='/publish'] button[type=submit]").click();
  await publisher.waitForURL(/done=published/);

  // On the public page now.
  assert.ok((await publicSummary("/partenaires/baviere")).includes(newSummary));

  // History: versions with who, when and the change note; a readable diff.
  await publisher.getByRole("link", { name: "Historique" }).click();
  await publisher.waitForURL(/\/history$/);
  const history = await publisher.locator("table").textContent();
  assert.match(history, /Résumé mis à jour/);
  assert.match(history, /publisher@example\.org/);
  await axe(publisher, "history");
  await publisher.getByRole("button", { name: "Comparer deux versions" }).click();
  await publisher.waitForURL(/\/diff\?/);
  assert.match(await publisher.locator("table.diff").textContent(), /essai de bout en bout/);
  await axe(publisher, "diff");

  // Restore the previous version.
  await publisher.goto(server.base + "/admin/records/partner/baviere/history");
  const restore = publisher.locator("form.restore").filter({ has: publisher.locator("input[name=version][value='1']") });
  await restore.getByLabel("Note de modification").fill("Retour à la version d’origine");
  await restore.getByLabel("Note publique de modification (Français)").fill("Retour au résumé précédent.");
  await restore.getByRole("button").click();
  await publisher.waitForURL(/done=restored/);
  const page = await publicSummary("/partenaires/baviere");
  assert.ok(!page.includes(newSummary), "the public page is back to the previous version");
  assert.ok(page.includes(originalSummary.slice(0, 40).replace(/'/g, "&#x27;")) || page.includes(originalSummary.slice(0, 20)));

  // An edit conflict between two editors in two browser contexts.
  const editor2Ctx = await browser.newContext();
  const editor2 = await signIn(editor2Ctx, "editor2@example.org");
  await editor.goto(server.base + "/admin/records/partner/baviere/edit");
  await editor2.goto(server.base + "/admin/records/partner/baviere/edit");
  await editor.locator("#f-summary-fr").fill("Version de la première personne.");
  await editor.locator("#change-note").fill("Première");
  await editor.getByRole("button", { name: "Enregistrer le brouillon" }).click();
  await editor.waitForURL(/done=saved/);
  await editor2.locator("#f-summary-fr").fill("Version de la deuxième personne.");
  await editor2.locator("#change-note").fill("Deuxième");
  const [response] = await Promise.all([
    editor2.waitForResponse((r) => r.request().method() === "POST"),
    editor2.getByRole("button", { name: "Enregistrer le brouillon" }).click(),
  ]);
  assert.equal(response.status(), 409);
  await editor2.locator(".conflict").waitFor();
  // Both versions side by side; what the second person typed is kept.
  assert.equal(await editor2.locator("#f-summary-fr").inputValue(), "Version de la deuxième personne.");
  assert.match(await editor2.locator("#f-summary-fr ~ .theirs").textContent(), /première personne/);
  await axe(editor2, "conflict page");
  await editor2.locator("#f-summary-fr").fill("Version fusionnée des deux personnes.");
  await editor2.getByRole("button", { name: "Enregistrer le brouillon" }).click();
  await editor2.waitForURL(/done=saved/);
  await editor2.getByRole("link", { name: "Aperçu" }).click();
  assert.match(await editor2.locator("article.preview").textContent(), /fusionnée/);

  // The other staff pages, in English too.
  await publisher.goto(server.base + "/en/admin/");
  assert.equal(await publisher.getAttribute("html", "lang"), "en");
  await axe(publisher, "dashboard (en)");
  await publisher.goto(server.base + "/en/admin/records/agreement/new");
  await axe(publisher, "new agreement form (en)");
  // A public answer, then the feedback dashboard with its chart.
  const form = new URLSearchParams({ page: "/partenaires/baviere", answer: "no", reason: "missing", comment: "Il manque les dates." });
  await fetch(server.base + "/api/v1/feedback", {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.base },
    body: JSON.stringify(Object.fromEntries(form)),
  });
  await publisher.goto(server.base + "/admin/feedback");
  assert.equal(await publisher.locator("figure.chart svg[role=img]").count(), 1);
  await axe(publisher, "feedback dashboard");
  // The procedures' follow-up, deadlines, calendar subscription (issue 6).
  await publisher.goto(server.base + "/admin/lifecycle");
  assert.equal(await publisher.locator("h1").textContent(), "Suivi des procédures");
  await axe(publisher, "procedure follow-up");
  await publisher.goto(server.base + "/en/admin/deadlines");
  await axe(publisher, "upcoming deadlines (en)");
  await publisher.goto(server.base + "/admin/calendar");
  await axe(publisher, "calendar subscription");
  await publisher.goto(server.base + "/admin/records/agreement/convention-diversite-expressions-culturelles");
  assert.equal(await publisher.locator("#proc-h").count(), 1);
  await axe(publisher, "agreement with its procedure");

  await editorCtx.close();
  await editor2Ctx.close();
  await publisherCtx.close();
  assert.deepEqual(axeFailures, [], axeFailures.join("\n"));
});

test("keyboard: the sign-in form works without a mouse", async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(server.base + "/admin/login");
  await page.keyboard.press("Tab"); // skip link
  await page.keyboard.press("Tab"); // brand
  await page.keyboard.press("Tab"); // language
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "email");
  await page.keyboard.type("editor@example.org");
  await page.keyboard.press("Tab");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await page.waitForURL(server.base + "/admin/");
  await ctx.close();
});
