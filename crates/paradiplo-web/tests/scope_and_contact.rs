//! Issue 14, items 2 and 6: the hub and the organizations list say what the
//! registry covers against the government's own figure (from the home
//! record, not a template), and every page's contact block names the
//! ministry with its address, telephone and web address, in both languages.

use paradiplo_app::testkit::TestApp;
use paradiplo_testkit::TestDb;

/// The `<p class="scope">` paragraph of a page, tags removed.
fn scope_of(html: &str, url: &str) -> String {
    let start = html
        .find("<p class=\"scope\">")
        .unwrap_or_else(|| panic!("{url}: no scope line"));
    let end = html[start..].find("</p>").expect("closed") + start;
    let inner = &html[start..end];
    let mut text = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

#[tokio::test]
async fn hub_and_list_state_the_scope_from_the_home_record() {
    let db = TestDb::sqlite();
    let app = TestApp::seeded(&db).await;
    let present = |html: &str| {
        // The hub's organizations-present figure: the count the scope states.
        let at = html
            .find("?presence=present\"><span class=\"num\">")
            .expect("figure");
        let rest = &html[at + "?presence=present\"><span class=\"num\">".len()..];
        rest[..rest.find('<').unwrap()].to_string()
    };
    for (hub, list, fr) in [
        ("/partenaires-et-organisations", "/organisations", true),
        ("/en/partners-and-organizations", "/en/organizations", false),
    ] {
        let html = app.get_ok(hub).await;
        let held = present(&html);
        let hub_scope = scope_of(&html, hub);
        let list_scope = scope_of(&app.get_ok(list).await, list);
        assert_eq!(hub_scope, list_scope, "{hub} and {list} say the same scope");
        let (said, more) = match fr {
            true => (format!("Ce registre en répertorie {held}; "), "plus de 70"),
            false => (format!("This registry lists {held}; "), "more than 70"),
        };
        assert!(hub_scope.starts_with(&said), "{hub}: {hub_scope}");
        assert!(hub_scope.contains(more), "{hub}: {hub_scope}");
        assert!(hub_scope.contains("(2024)"), "{hub}: {hub_scope}");
        // The figure's source is linked.
        assert!(html.contains(
            "href=\"https://www.quebec.ca/gouvernement/relations-internationales/partenaires-et-organisations\""
        ));
    }
}

#[tokio::test]
async fn every_page_names_the_ministry_and_how_to_reach_it() {
    let db = TestDb::sqlite();
    let app = TestApp::seeded(&db).await;
    for (url, ministry, address) in [
        (
            "/",
            "Ministère des Relations internationales et de la Francophonie",
            "525, boulevard René-Lévesque Est",
        ),
        (
            "/en/",
            "Ministry of International Relations and La Francophonie",
            "525 René-Lévesque Blvd. East",
        ),
        (
            "/organisations",
            "Ministère des Relations internationales",
            "G1R 5R9",
        ),
        (
            "/en/organizations",
            "Ministry of International Relations",
            "G1R 5R9",
        ),
        (
            "/partenaires-et-organisations",
            "Ministère des Relations internationales",
            "G1R 5R9",
        ),
        (
            "/recherche?q=contact",
            "Ministère des Relations internationales",
            "G1R 5R9",
        ),
        (
            "/en/search?q=contact",
            "Ministry of International Relations",
            "G1R 5R9",
        ),
        (
            "/donnees-ouvertes",
            "Ministère des Relations internationales",
            "G1R 5R9",
        ),
    ] {
        // Search answers 503 without an index here; its page still carries the block.
        let html = app.get(url).await.body;
        let start = html
            .find("<section class=\"contact\"")
            .unwrap_or_else(|| panic!("{url}: no contact block"));
        let end = html[start..].find("</section>").unwrap() + start;
        let block = &html[start..end];
        assert!(block.contains(ministry), "{url}: {block}");
        assert!(block.contains(address), "{url}: {block}");
        assert!(block.contains("href=\"tel:4186492300\""), "{url}: {block}");
        assert!(
            block.contains("href=\"mailto:commentaires@mri.gouv.qc.ca\""),
            "{url}: {block}"
        );
        assert!(
            block.contains("href=\"http://www.mrif.gouv.qc.ca/\""),
            "{url}: {block}"
        );
        assert!(
            !block.contains("organisation qui publie ce portail"),
            "{url}"
        );
        assert!(
            !block.contains("organization that publishes this portal"),
            "{url}"
        );
    }
}
