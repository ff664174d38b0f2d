// The relations log in a real browser (issue 9): in /admin an editor creates
// two people, a mission to Bavaria with both as participants and a
// follow-up, and submits them; a publisher publishes them; the owner marks
// the follow-up done from /admin/follow-ups (with the keyboard); the
// partner's dossier then prints as a briefing note. Screenshot and PDF of
// the printed dossier go to target/screenshots/. axe-core checks the pages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { axeCheck, launchBrowser, screenshotDir, signInOn, startWithAccounts } from "./helpers.js";

const PASSWORD = "correct horse battery staple";
const EDITOR = "agente@example.org";
const PUBLISHER = "direction@example.org";
let server;
let browser;
const axeFailures = [];

before(async () => {
  server = await startWithAccounts([[EDITOR, "editor"], [PUBLISHER, "publisher"]], PASSWORD);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const axe = (page, what) => axeCheck(page, what, axeFailures);

async function signIn(context, email) {
  const page = await context.newPage();
  await page.goto(server.base + "/admin/login");
  await signInOn(page, server.base, email, PASSWORD);
  return page;
}

// Saves the form as a draft and submits the draft for review.
async function saveAndSubmit(page, kind, slug) {
  await page.locator("#change-note").fill("Création (essai de bout en bout)");
  await page.getByRole("button", { name: "Enregistrer le brouillon" }).click();
  await page.waitForURL(new RegExp(`/admin/records/${kind}/${slug}\\?done=saved$`), { timeout: 10_000 })
    .catch(async (e) => {
      const errors = await page.locator(".error-summary").textContent().catch(() => "");
      throw new Error(`${kind} ${slug} not saved: ${errors || e.message}`);
    });
  await page.getByRole("button", { name: "Soumettre pour révision" }).click();
  await page.waitForURL(/done=submitted/);
}

// A second person publishes the submitted draft.
async function publish(page, kind, slug) {
  await page.goto(`${server.base}/admin/records/${kind}/${slug}`);
  await page.locator("form[action$='/publish'] button[type=submit]").click();
  await page.waitForURL(/done=published/);
}

async function newPerson(page, slug, name) {
  await page.goto(server.base + "/admin/records/person/new");
  await page.locator("#f-slug").fill(slug);
  await page.locator("#f-name-fr").fill(name);
  await saveAndSubmit(page, "person", slug);
}

test("a mission with two participants and a follow-up, the follow-up done, the dossier printed", async () => {
  const editorCtx = await browser.newContext();
  const publisherCtx = await browser.newContext();
  const editor = await signIn(editorCtx, EDITOR);
  const publisher = await signIn(publisherCtx, PUBLISHER);

  // Two people: a head of office and a counterpart (the bundled data has none).
  await newPerson(editor, "claire-fortin", "Claire Fortin");
  await newPerson(editor, "markus-weber", "Markus Weber");
  await publish(publisher, "person", "claire-fortin");
  await publish(publisher, "person", "markus-weber");

  // The mission: more rows first, for the second participant.
  await editor.goto(server.base + "/admin/records/activity/new");
  await editor.getByRole("button", { name: "Ajouter des lignes vides" }).click();
  await editor.locator("#f-participants-1-person").waitFor();
  await editor.locator("#f-slug").fill("mission-munich-2024");
  await editor.locator("#f-title-fr").fill("Mission ministérielle à Munich");
  await editor.locator("#f-title-en").fill("Ministerial mission to Munich");
  await editor.locator("#f-kind").selectOption("mission");
  await editor.locator("#f-status").selectOption("held");
  await editor.locator("#f-start").fill("2024-05-13");
  await editor.locator("#f-end").fill("2024-05-15");
  await editor.locator("#f-place-fr").fill("Munich");
  await editor.locator("#f-partners").getByLabel("État libre de Bavière", { exact: true }).check();
  await editor.locator("#f-participants-0-person").selectOption("claire-fortin");
  await editor.locator("#f-participants-0-role-fr").fill("cheffe de délégation");
  await editor.locator("#f-participants-0-role-en").fill("head of delegation");
  await editor.locator("#f-participants-1-person").selectOption("markus-weber");
  await editor.locator("#f-participants-1-role-fr").fill("homologue bavarois");
  await editor.locator("#f-participants-1-role-en").fill("Bavarian counterpart");
  await editor.locator("#f-subject-fr").fill("Coopération en intelligence artificielle et en énergie.");
  await editor.locator("#f-subject-en").fill("Cooperation in artificial intelligence and energy.");
  await axe(editor, "new mission form");
  await saveAndSubmit(editor, "activity", "mission-munich-2024");
  await publish(publisher, "activity", "mission-munich-2024");

  // A follow-up of the mission, owned by the editor.
  await editor.goto(server.base + "/admin/records/follow_up/new");
  await editor.locator("#f-slug").fill("suivi-mission-munich");
  await editor.locator("#f-title-fr").fill("Envoyer le compte rendu de mission");
  await editor.locator("#f-title-en").fill("Send the mission report");
  await editor.locator("#f-activity").selectOption("mission-munich-2024");
  await editor.locator("#f-owner").fill(EDITOR);
  await editor.locator("#f-due").fill("2030-06-30");
  await editor.locator("#f-state").selectOption("open");
  await saveAndSubmit(editor, "follow_up", "suivi-mission-munich");
  await publish(publisher, "follow_up", "suivi-mission-munich");

  // The dossier lists it among the open follow-ups.
  await editor.goto(server.base + "/admin/dossiers/baviere");
  assert.match(await editor.locator("#admin_dossier_follow_ups").textContent(), /Envoyer le compte rendu de mission/);

  // My follow-ups: mark it done, with the keyboard.
  await editor.goto(server.base + "/admin/follow-ups");
  const row = editor.locator("#fu-suivi-mission-munich");
  assert.equal(await row.locator("td[data-state]").getAttribute("data-state"), "open");
  await axe(editor, "my follow-ups");
  await row.getByRole("button", { name: "Terminé" }).focus();
  await editor.keyboard.press("Enter");
  await editor.waitForURL(/\/admin\/follow-ups\?done=follow_up_state$/);
  assert.match(await editor.locator(".flash").textContent(), /État du suivi enregistré/);
  assert.equal(await row.locator("td[data-state]").getAttribute("data-state"), "done");
  assert.equal(await row.locator("td[data-state]").textContent(), "Terminé");
  assert.equal(await row.getByRole("button", { name: "Terminé" }).count(), 0, "done is no longer offered");
  // The team view says the same.
  await editor.goto(server.base + "/admin/follow-ups/team");
  assert.equal(await editor.locator("#fu-suivi-mission-munich td[data-state]").getAttribute("data-state"), "done");

  // The partner's dossier, printed as a briefing note.
  const dossier = await publisherCtx.newPage();
  await dossier.goto(server.base + "/admin/dossiers/baviere");
  await axe(dossier, "dossier");
  // Done: no longer among the open follow-ups.
  assert.doesNotMatch(await dossier.locator("#admin_dossier_follow_ups").textContent(), /compte rendu de mission/);
  await dossier.emulateMedia({ media: "print" });
  const past = dossier.locator("#admin_dossier_past");
  const mission = past.locator("li").filter({ hasText: "Mission ministérielle à Munich" });
  assert.equal(await mission.count(), 1);
  const line = await mission.textContent();
  assert.match(line, /Mission — 13 mai 2024 — Tenue/);
  assert.match(line, /Claire Fortin \(cheffe de délégation\)/);
  assert.match(line, /Markus Weber \(homologue bavarois\)/);
  assert.ok(await mission.isVisible(), "the mission is printed");
  // Both participants are among the people of the dossier, with their role.
  const people = await dossier.locator("#admin_dossier_people").textContent();
  assert.match(people, /Claire Fortin[\s\S]*cheffe de délégation — Mission ministérielle à Munich, 13 mai 2024/);
  assert.match(people, /Markus Weber[\s\S]*homologue bavarois — Mission ministérielle à Munich/);
  // Print shows the note only: no navigation, no print hint.
  assert.equal(await dossier.locator(".admin-nav").isVisible(), false);
  assert.equal(await dossier.locator(".no-print").first().isVisible(), false);
  const dir = screenshotDir;
  mkdirSync(dir, { recursive: true });
  await dossier.screenshot({ path: join(dir, "dossier-print.png"), fullPage: true });
  const pdf = await dossier.pdf({ path: join(dir, "dossier.pdf"), format: "A4", printBackground: true });
  assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");

  await editorCtx.close();
  await publisherCtx.close();
  assert.deepEqual(axeFailures, [], axeFailures.join("\n"));
});
