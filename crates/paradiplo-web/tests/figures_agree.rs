//! Issue 14, item 2: the hub, the home page and the lists count the same
//! things with the same words, in both languages: the bilateral partners
//! (not the members met only in groupings) and the organizations present
//! (historical listings left out), each figure opening the list it counts.

use paradiplo_app::testkit::TestApp;
use paradiplo_testkit::TestDb;

/// The figure card linking to `href`: its number and its label.
fn card(html: &str, href: &str) -> (String, String) {
    let open = format!("<li><a href=\"{}\">", href.replace('&', "&amp;"));
    let at = html
        .find(&open)
        .unwrap_or_else(|| panic!("no figure links to {href}"));
    let li = &html[at..at + html[at..].find("</li>").unwrap()];
    let inner = |class: &str| {
        let s = li.find(class).unwrap_or_else(|| panic!("{class} in {li}"));
        let s = s + li[s..].find('>').unwrap() + 1;
        li[s..s + li[s..].find('<').unwrap()].to_string()
    };
    (inner("class=\"num\""), inner("class=\"lbl\""))
}

/// The total a list announces (« 1 à 20 sur 33 »: the last number).
fn list_total(html: &str) -> String {
    let at = html.find("id=\"result-count\">").expect("result count");
    let p = &html[at..at + html[at..].find("</p>").unwrap()];
    let digits: Vec<String> = p
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    digits.last().expect("a number").clone()
}

#[tokio::test]
async fn hub_home_and_lists_count_the_same_things_with_the_same_words() {
    let db = TestDb::sqlite();
    let app = TestApp::seeded(&db).await;
    for (home, hub, partners, orgs) in [
        (
            "/",
            "/partenaires-et-organisations",
            "/partenaires?relation=bilateral",
            "/organisations?presence=present",
        ),
        (
            "/en/",
            "/en/partners-and-organizations",
            "/en/partners?relation=bilateral",
            "/en/organizations?presence=present",
        ),
    ] {
        let hub_html = app.get_ok(hub).await;
        let home_html = app.get_ok(home).await;
        for list in [partners, orgs] {
            let on_hub = card(&hub_html, list);
            let on_home = card(&home_html, list);
            assert_eq!(on_hub, on_home, "{hub} and {home} on {list}");
            let total = list_total(&app.get_ok(list).await);
            assert_eq!(on_hub.0, total, "{list} lists what {hub} counts");
        }
        // The map (on the hub and the partners list) counts the same
        // bilateral partners, with the same words.
        let bilateral_n = card(&hub_html, partners).0;
        let map_words = match home {
            "/" => format!("Partenaires bilatéraux\u{a0}: {bilateral_n}."),
            _ => format!("Bilateral partners: {bilateral_n}."),
        };
        let all_html = app.get_ok(partners.split('?').next().unwrap()).await;
        for (url, html) in [(hub, &hub_html), (partners, &all_html)] {
            assert!(html.contains(&map_words), "{url}: the map says {map_words}");
        }
        // Every partner is either bilateral or met only in groupings, and
        // the list says which.
        let all_url = partners.split('?').next().unwrap();
        let all: u32 = list_total(&app.get_ok(all_url).await).parse().unwrap();
        let bilateral: u32 = card(&hub_html, partners).0.parse().unwrap();
        let groupings_url = partners.replace("bilateral", "groupings");
        let only: u32 = list_total(&app.get_ok(&groupings_url).await)
            .parse()
            .unwrap();
        assert!(
            only > 0 && bilateral > 0,
            "{all_url}: both kinds of partner in the bundled data"
        );
        assert_eq!(bilateral + only, all, "{all_url}");
        let list_html = app.get_ok(&groupings_url).await;
        let word = match home {
            "/" => "Membre rencontré seulement dans des regroupements",
            _ => "Member met only in groupings",
        };
        assert!(list_html.contains(word), "{groupings_url}");
    }
}

/// Issue 14, item 3: the organizations list filters historical listings in
/// both languages; the current ones and the historical ones make the whole
/// list, and the organizations-present figure counts none of the historical.
#[tokio::test]
async fn organizations_list_filters_historical_listings() {
    let db = TestDb::sqlite();
    let app = TestApp::seeded(&db).await;
    for (list, key, marker) in [
        (
            "/organisations",
            "statut",
            "historique, existence non confirmée",
        ),
        (
            "/en/organizations",
            "status",
            "historical, existence not confirmed",
        ),
    ] {
        let all: u32 = list_total(&app.get_ok(list).await).parse().unwrap();
        let current_html = app.get_ok(&format!("{list}?{key}=current")).await;
        let historical_html = app.get_ok(&format!("{list}?{key}=historical")).await;
        let current: u32 = list_total(&current_html).parse().unwrap();
        let historical: u32 = list_total(&historical_html).parse().unwrap();
        assert!(
            historical > 0,
            "{list}: the bundled data has historical listings"
        );
        assert_eq!(current + historical, all, "{list}");
        assert!(
            historical_html.contains(marker),
            "{list}: historical rows are marked"
        );
        let present_html = app
            .get_ok(&format!("{list}?presence=present&{key}=historical"))
            .await;
        assert!(
            present_html.contains("id=\"result-count\">") && !present_html.contains(marker),
            "{list}: no historical listing counts as present"
        );
    }
}
