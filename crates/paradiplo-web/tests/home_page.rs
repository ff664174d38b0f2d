//! A home page that serves people (issue 22, item 5): `/` and `/en/` lead
//! with search, the collections as figure cards that are links, and the
//! latest changes — no table of database counts; lists and the hub show
//! their content first and the drawing of it after.

use paradiplo_app::testkit::TestApp;
use paradiplo_testkit::TestDb;

fn at(html: &str, needle: &str) -> usize {
    html.find(needle)
        .unwrap_or_else(|| panic!("{needle} not on the page"))
}

/// The `href`s inside the first element that starts with `open`.
fn hrefs_in(html: &str, open: &str, close: &str) -> Vec<String> {
    let start = at(html, open);
    let end = html[start..].find(close).expect("closed") + start;
    html[start..end]
        .split("href=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().replace("&amp;", "&"))
        .collect()
}

#[tokio::test]
async fn home_leads_with_search_figures_and_changes() {
    let db = TestDb::sqlite();
    let app = TestApp::seeded(&db).await;
    for (home, search, list) in [
        (
            "/",
            "action=\"/recherche\"",
            "/partenaires?relation=bilateral",
        ),
        (
            "/en/",
            "action=\"/en/search\"",
            "/en/partners?relation=bilateral",
        ),
    ] {
        let html = app.get_ok(home).await;
        let main = &html[at(&html, "<main")..];
        assert!(!main.contains("<table"), "{home}: no table of counts");
        // Search, then the figure cards, then the latest changes.
        let search_at = at(main, search);
        let figures_at = at(main, "<ul class=\"figures\"");
        let changes_at = at(main, "<ul class=\"changes\">");
        assert!(search_at < figures_at && figures_at < changes_at, "{home}");
        // Each figure card is one link to its list, its count inside it.
        let cards = hrefs_in(main, "<ul class=\"figures\"", "</ul>");
        assert_eq!(cards.len(), 5, "{home}: {cards:?}");
        assert!(cards.iter().any(|c| c == list), "{home}: {cards:?}");
        assert!(main.contains(&format!(
            "<li><a href=\"{list}\"><span class=\"num\" data-kind=\"partner\">"
        )));
        // Every latest change links to a page that answers.
        let changes = hrefs_in(main, "<ul class=\"changes\">", "</ul>");
        assert_eq!(changes.len(), 6, "{home}: {changes:?}");
        for url in changes.iter().chain(&cards) {
            app.get_ok(url).await;
        }
        let feed = hrefs_in(main, "<section class=\"home-changes\"", "</section>");
        let feed = feed.last().expect("a link to every change");
        assert!(feed.ends_with(".atom"), "{feed}");
        app.get_ok(feed).await;
    }
}

#[tokio::test]
async fn lists_and_the_hub_show_their_content_before_the_drawing() {
    let db = TestDb::sqlite();
    let app = TestApp::seeded(&db).await;
    for (path, content) in [
        ("/partenaires", "<table class=\"list\">"),
        ("/en/partners", "<table class=\"list\">"),
        (
            "/partenaires-et-organisations",
            "<section class=\"hub-section\"",
        ),
        (
            "/en/partners-and-organizations",
            "<section class=\"hub-section\"",
        ),
    ] {
        let html = app.get_ok(path).await;
        let drawing = at(&html, "<section class=\"viz-block");
        assert!(
            at(&html, content) < drawing,
            "{path}: the drawing comes first"
        );
    }
}

#[tokio::test]
async fn historical_organizations_are_marked() {
    let db = TestDb::sqlite();
    let app = TestApp::seeded(&db).await;
    for (list, page, note) in [
        (
            "/organisations",
            "/organisations/aistj",
            "Siège (historique, existence non confirmée)",
        ),
        (
            "/en/organizations",
            "/en/organizations/aistj",
            "(historical, existence not confirmed)",
        ),
    ] {
        let html = app.get_ok(list).await;
        let row = &html[at(&html, &format!("href=\"{page}\""))..];
        let row = &row[..at(row, "</tr>")];
        assert!(row.contains(note), "{list}: {row}");
        assert!(app.get_ok(page).await.contains(note), "{page}");
    }
}
