//! Results people can read (issue 19, item 3): each search result shows its
//! type, its partner and its date, as precise as the record knows it and
//! written for the page's language.

use paradiplo_app::testkit::TestApp;
use paradiplo_testkit::TestDb;

/// The metadata line of the result for `key` (`kind/slug`) on a results page.
fn meta_of(html: &str, key: &str) -> String {
    let start = html
        .find(&format!("data-key=\"{key}\""))
        .unwrap_or_else(|| panic!("no result {key} in {html}"));
    let hit = &html[start..];
    let hit = &hit[..hit.find("</li>").expect("the result ends")];
    let meta = hit
        .split("<p class=\"search-meta\">")
        .nth(1)
        .unwrap_or_else(|| panic!("result {key} has no metadata line: {hit}"));
    meta[..meta.find("</p>").expect("</p>")].to_string()
}

#[tokio::test]
async fn each_result_shows_its_type_partner_and_date() {
    let db = TestDb::sqlite();
    let app = TestApp::builder(&db).with_search().build().await;
    for (url, key, expected) in [
        (
            "/recherche?q=accord%20unesco%202006",
            "agreement/accord-unesco",
            vec![
                "<span class=\"search-kind\">Entente ou traité</span>",
                "<time datetime=\"2006-05-05\">5 mai 2006</time>",
            ],
        ),
        (
            "/en/search?q=unesco%20agreement%202006",
            "agreement/accord-unesco",
            vec![
                "<span class=\"search-kind\">Agreement or treaty</span>",
                "<time datetime=\"2006-05-05\">May 5, 2006</time>",
            ],
        ),
        (
            "/recherche?q=bavi%C3%A8re%20plan%20nord",
            "agreement/baviere-plan-nord-2012",
            vec![
                "<span class=\"search-partner\">Bavière</span>",
                "<time datetime=\"2012-04\">avril 2012</time>",
            ],
        ),
        (
            "/en/search?q=bavaria%20plan%20nord",
            "agreement/baviere-plan-nord-2012",
            vec![
                "Bavaria</span>",
                "<time datetime=\"2012-04\">April 2012</time>",
            ],
        ),
        (
            "/recherche?q=bavi%C3%A8re%201989",
            "agreement/baviere-communique-1989",
            vec![
                "<span class=\"search-partner\">Bavière</span>",
                "<time datetime=\"1989\">1989</time>",
            ],
        ),
    ] {
        let html = app.get_ok(url).await;
        let meta = meta_of(&html, key);
        for want in expected {
            assert!(
                meta.contains(want),
                "{url}: {key} shows «{meta}», lacks {want}"
            );
        }
    }
}
