//! Titles that say where you are (WCAG 2.4.2): over every page of the
//! sitemap in both languages, each list's filtered and later pages (and a
//! filtered list's later pages), search pages with their filters and later
//! pages, and pages as of a date, no two URLs share a `<title>`, and each
//! title names the portal.

use axum::http::StatusCode;
use paradiplo_app::testkit::TestApp;
use paradiplo_testkit::TestDb;
use std::collections::{BTreeMap, BTreeSet};

fn title_of(html: &str) -> String {
    let start = html.find("<title>").expect("a <title>") + "<title>".len();
    let end = html[start..].find("</title>").expect("</title>") + start;
    html[start..end]
        .replace("&amp;", "&")
        .replace("&#x27;", "'")
}

/// The path of an absolute sitemap address.
fn path_of(loc: &str) -> String {
    let rest = loc.split_once("://").map_or(loc, |(_, r)| r);
    rest.find('/')
        .map_or("/".to_string(), |i| rest[i..].to_string())
}

fn sitemap_paths(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .filter_map(|s| s.split_once("</loc>").map(|(loc, _)| path_of(loc)))
        .collect()
}

/// Every value of every filter of a list page, each alone (`?key=value`),
/// and the links to its other pages.
fn variants(path: &str, html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for select in html.split("<select").skip(1) {
        let Some(select) = select.split("</select>").next() else {
            continue;
        };
        let Some(name) = attr(select, "name") else {
            continue;
        };
        for option in select.split("<option").skip(1) {
            if let Some(value) = attr(option, "value").filter(|v| !v.is_empty()) {
                out.push(format!(
                    "{path}?{name}={}",
                    paradiplo_app::testkit::enc(&value)
                ));
            }
        }
    }
    for link in html.split("href=\"").skip(1) {
        let href = link.split('"').next().unwrap_or("").replace("&amp;", "&");
        if href.starts_with(&format!("{path}?")) && href.contains("page=") {
            out.push(href);
        }
    }
    out
}

/// The links of a page to the later pages of `path` (its pager).
fn page_links(path: &str, html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .map(|link| link.split('"').next().unwrap_or("").replace("&amp;", "&"))
        .filter(|href| href.starts_with(&format!("{path}?")) && href.contains("page="))
        .collect()
}

/// Search pages: queries in both languages, each with the facet links of
/// its results (a filter each) and its next page.
async fn search_variants(app: &TestApp) -> Vec<String> {
    let mut out = Vec::new();
    for (path, q) in [
        ("/recherche", "entente"),
        ("/recherche", "bavi%C3%A8re"),
        ("/recherche", "culture"),
        ("/en/search", "agreement"),
        ("/en/search", "bavaria"),
        ("/en/search", "culture"),
    ] {
        let url = format!("{path}?q={q}");
        let html = app.get_ok(&url).await;
        let prefix = format!("{url}&");
        out.extend(
            html.split("href=\"")
                .skip(1)
                .map(|link| link.split('"').next().unwrap_or("").replace("&amp;", "&"))
                .filter(|href| href.starts_with(&prefix)),
        );
        out.push(url);
    }
    assert!(out.len() > 30, "search pages: {out:?}");
    out
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let head = tag.split('>').next()?;
    let start = head.find(&format!("{name}=\""))? + name.len() + 2;
    let end = head[start..].find('"')? + start;
    Some(head[start..end].to_string())
}

#[tokio::test]
async fn no_two_pages_share_a_title() {
    let db = TestDb::sqlite();
    let app = TestApp::builder(&db).with_search().build().await;
    let sitemap = app.get_ok("/sitemap.xml").await;
    let pages = sitemap_paths(&sitemap);
    assert!(pages.len() > 100, "the sitemap lists {} pages", pages.len());
    let mut urls: BTreeSet<String> = pages.iter().cloned().collect();
    let mut lists = Vec::new();
    for path in &pages {
        let html = app.get_ok(path).await;
        let more = variants(path, &html);
        if !more.is_empty() {
            lists.push(path.clone());
        }
        // A filtered list's later pages ("Bavière, page 2").
        for filtered in more.iter().filter(|u| !u.contains("page=")) {
            let html = app.get_ok(filtered).await;
            urls.extend(page_links(path, &html));
        }
        urls.extend(more);
    }
    let filtered_paged = urls
        .iter()
        .filter(|u| u.contains("page=") && u.matches('=').count() >= 2)
        .count();
    assert!(
        filtered_paged > 0,
        "filtered lists' later pages are checked"
    );
    urls.extend(search_variants(&app).await);
    let search_paged = urls
        .iter()
        .filter(|u| u.contains("q=") && u.contains("page="))
        .count();
    assert!(search_paged > 0, "search results' later pages are checked");
    assert!(lists.len() >= 8, "lists with filters: {lists:?}");
    // As of a date: the home page, the hub, every list and some records.
    let dated: Vec<String> = ["/", "/en/"]
        .into_iter()
        .map(str::to_string)
        .chain(lists.iter().cloned())
        .chain(pages.iter().step_by(7).cloned())
        .map(|p| {
            format!(
                "{p}{}date=2015-06-01",
                if p.contains('?') { '&' } else { '?' }
            )
        })
        .collect();
    urls.extend(dated);

    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut clashes = Vec::new();
    let mut checked = 0;
    for url in &urls {
        let r = app.get(url).await;
        if r.status != StatusCode::OK || !r.content_type().starts_with("text/html") {
            // A record not yet there that day, a feed, a file: not a page here.
            continue;
        }
        checked += 1;
        let title = title_of(&r.body);
        let portal = if url.starts_with("/en/") {
            "Partners and Organizations"
        } else {
            "Partenaires et organisations"
        };
        assert!(title.contains(portal), "{url}: {title:?}");
        if url.contains("date=2015-06-01") {
            assert!(
                title.contains("2015"),
                "{url}: the title says the day: {title}"
            );
        }
        if let Some(first) = seen.insert(title.clone(), url.clone()) {
            clashes.push(format!("{title}\n    {first}\n    {url}"));
        }
    }
    assert!(checked > 500, "pages checked: {checked}");
    assert!(
        clashes.is_empty(),
        "{} titles shared by several pages:\n{}",
        clashes.len(),
        clashes.join("\n")
    );
    // The example of the issue, in both languages.
    let fr = title_of(&app.get_ok("/").await);
    let hub = title_of(&app.get_ok("/partenaires-et-organisations").await);
    assert_ne!(fr, hub);
    assert!(fr.starts_with("Accueil — "), "{fr}");
    app.shutdown().await;
}
