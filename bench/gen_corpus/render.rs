//! Rendering a `Core` as a scraped page: each site has its own fixed head and tail boilerplate
//! (nav crumbs, cookie notice, share and subscribe lines, comment forms, copyright), plus
//! per-page lines (byline, photo credit and caption, "Read also" links, tags). Duplicates are
//! rendered from the same core: exact, re-scraped with other boilerplate, lightly edited,
//! cut to a teaser, or updated with a paragraph added.

use crate::rng::{mix, Rng};
use crate::text::{month_name, Core, Writer, FIRST, LAST, PLACES};

pub const SECTIONS: &[&str] = &[
    "World",
    "Politics",
    "Business",
    "Economy",
    "Europe",
    "Asia",
    "Sport",
    "Health",
    "Science",
    "Technology",
    "Culture",
    "Opinion",
    "Local",
    "Africa",
    "Americas",
    "Middle East",
];

const SITE_A: &[&str] = &[
    "Daily",
    "Morning",
    "Evening",
    "Global",
    "Westside",
    "Metro",
    "National",
    "Coastal",
    "Capital",
    "Northern",
    "Valley",
    "City",
    "Weekly",
    "Independent",
    "Free",
    "United",
];
const SITE_B: &[&str] = &[
    "Herald",
    "Post",
    "Times",
    "Chronicle",
    "Observer",
    "Gazette",
    "News",
    "Tribune",
    "Courier",
    "Wire",
    "Journal",
    "Standard",
    "Telegraph",
    "Dispatch",
    "Report",
    "People",
];
const AGENCIES: &[&str] = &[
    "Reuters",
    "AP",
    "AFP",
    "Getty Images",
    "EPA",
    "Bloomberg",
    "Xinhua",
];

const HEAD_POOL: &[&str] = &[
    "Skip to content",
    "Skip to main content",
    "Menu",
    "Search",
    "Sign in",
    "Subscribe",
    "Log in | Register",
    "Breaking News",
    "Complete News World",
    "Advertisement",
    "We use cookies to ensure that we give you the best experience on our website. If you continue to use this site we will assume that you are happy with it. Ok",
    "This website uses cookies to improve your experience. We'll assume you're ok with this, but you can opt-out if you wish. Accept Read More",
    "By using this site, you agree to our Privacy Policy and Terms of Use.",
    "Listen to this article",
];

const TAIL_POOL: &[&str] = &[
    "Share this article",
    "Share on Facebook",
    "Share on Twitter",
    "Tweet",
    "Email",
    "Print",
    "Subscribe to our newsletter",
    "Sign up for our daily newsletter and get the top stories in your inbox.",
    "LEAVE A REPLY",
    "Cancel reply",
    "Please enter your comment!",
    "Please enter your name here",
    "You have entered an incorrect email address!",
    "You must be logged in to post a comment.",
    "Related Articles",
    "Recommended for you",
    "Most Popular",
    "Follow us on Facebook, Twitter and Instagram",
    "Privacy Policy | Terms of Use | Contact Us",
];

/// A site's fixed boilerplate (one of two layouts).
pub struct Site {
    pub name: String,
    pub domain: String,
    head: Vec<&'static str>,
    tail: Vec<&'static str>,
    date_format: usize,
    crumbs: bool,
    byline: bool,
    single_newlines: bool,
}

/// Sites × layouts; layout `k` of site `s` is at index `2 * s + k`.
pub fn sites(seed: u64, count: usize) -> Vec<Site> {
    let mut out = Vec::with_capacity(count * 2);
    for s in 0..count {
        let mut rng = Rng::derive(seed, s as u64, 77);
        let name = format!(
            "{} {}",
            SITE_A[s % SITE_A.len()],
            SITE_B[(s * 7 + s / SITE_A.len()) % SITE_B.len()]
        );
        let domain = format!("{}.com", name.to_lowercase().replace(' ', ""));
        for _layout in 0..2 {
            let mut pick = |pool: &[&'static str], lo: usize, hi: usize| {
                let mut v: Vec<&'static str> = Vec::new();
                for _ in 0..rng.range(lo, hi) {
                    let l = rng.pick(pool);
                    if !v.contains(&l) {
                        v.push(l);
                    }
                }
                v
            };
            let head = pick(HEAD_POOL, 1, 4);
            let tail = pick(TAIL_POOL, 2, 7);
            out.push(Site {
                name: name.clone(),
                domain: domain.clone(),
                head,
                tail,
                date_format: rng.below(4),
                crumbs: rng.chance(0.6),
                byline: rng.chance(0.7),
                single_newlines: rng.chance(0.3),
            });
        }
    }
    out
}

/// Day of the week (0 = Sunday), Sakamoto's method.
fn weekday(y: u32, m: u32, d: u32) -> usize {
    const T: [u32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if m < 3 { y - 1 } else { y };
    ((y + y / 4 - y / 100 + y / 400 + T[m as usize - 1] + d) % 7) as usize
}

fn date_line(fmt: usize, (y, m, d): (u32, u32, u32)) -> String {
    const DAYS: [&str; 7] = [
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
    ];
    match fmt {
        0 => format!("{}, {} {d}, {y}", DAYS[weekday(y, m, d)], month_name(m)),
        1 => format!("{} {d}, {y}", month_name(m)),
        2 => format!("{d} {} {y}", month_name(m)),
        _ => format!("Published {y}-{m:02}-{d:02}"),
    }
}

/// How a document relates to its core.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Original,
    Exact,
    Rescrape,
    LightEdit,
    Teaser,
    Updated,
}

impl Variant {
    pub const DUPLICATES: [Variant; 5] = [
        Variant::Exact,
        Variant::Rescrape,
        Variant::LightEdit,
        Variant::Teaser,
        Variant::Updated,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Variant::Original => "original",
            Variant::Exact => "exact",
            Variant::Rescrape => "rescrape",
            Variant::LightEdit => "light_edit",
            Variant::Teaser => "teaser",
            Variant::Updated => "updated",
        }
    }
}

/// Renders a page; returns the site index used. `rng` drives the per-page lines; for an
/// original and its exact copies it is derived from the core, so their bytes are equal.
pub fn page(
    out: &mut String,
    core: &mut Core,
    variant: Variant,
    sites: &[Site],
    writer: &mut Writer,
    rng: &mut Rng,
) -> usize {
    let site_count = sites.len() / 2;
    let site_index = match variant {
        // A re-scrape: the same site with its other layout, or a syndicating site.
        Variant::Rescrape if rng.chance(0.5) => 2 * core.site + 1,
        Variant::Rescrape => 2 * ((core.site + 1 + rng.below(site_count - 1)) % site_count),
        _ => 2 * core.site,
    };
    let site = &sites[site_index];
    let year = core.date.0;
    match variant {
        Variant::LightEdit => {
            for _ in 0..rng.range(1, 3) {
                let p = rng.below(core.paragraphs.len());
                let para = &mut core.paragraphs[p];
                let words: Vec<&str> = para.split(' ').collect();
                let w = rng.below(words.len());
                let mut edited: Vec<String> = words.iter().map(|s| s.to_string()).collect();
                edited[w] = match rng.below(3) {
                    0 => writer.lex.word(rng).to_string(),
                    1 => format!("{} {}", edited[w], writer.lex.word(rng)),
                    _ => String::new(),
                };
                *para = edited
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
            }
        }
        Variant::Teaser => core.paragraphs.truncate(rng.range(1, 2)),
        Variant::Updated => {
            let at = rng.range(1, core.paragraphs.len());
            let p = writer.paragraph(rng, year);
            core.paragraphs.insert(at, p);
        }
        _ => {}
    }
    let sep = if site.single_newlines { "\n" } else { "\n\n" };
    let line = |out: &mut String, l: &str| {
        out.push_str(l);
        out.push_str(sep);
    };
    out.push_str(&site.name);
    out.push_str("\n\n");
    for l in &site.head {
        line(out, l);
    }
    if site.crumbs {
        line(out, &format!("Home › {}", SECTIONS[core.section]));
    }
    if variant == Variant::Updated {
        line(out, &format!("Updated {} hours ago", rng.range(1, 12)));
    }
    line(out, &date_line(site.date_format, core.date));
    out.push_str(&core.title);
    out.push_str("\n\n");
    if site.byline {
        line(out, &format!("By {}", core.author));
    }
    if rng.chance(0.5) {
        line(
            out,
            &format!(
                "Photo by {} {}, {}",
                rng.pick(FIRST),
                rng.pick(LAST),
                rng.pick(AGENCIES)
            ),
        );
        let mut caption = String::from("A view of ");
        caption.push_str(rng.pick(PLACES));
        caption.push_str(" on Tuesday. ");
        caption.push_str(&format!("({} Photo)", rng.pick(AGENCIES)));
        line(out, &caption);
    }
    for (i, p) in core.paragraphs.iter().enumerate() {
        out.push_str(p);
        out.push_str("\n\n");
        if i == 1 && core.paragraphs.len() > 3 && rng.chance(0.25) {
            out.push_str("ADVERTISEMENT\n\n");
        }
        if i == 2 && rng.chance(0.2) {
            out.push_str("Read also: ");
            out.push_str(&writer.title(rng));
            out.push_str("\n\n");
        }
    }
    if variant == Variant::Teaser {
        line(out, &format!("Continue reading on {}", site.domain));
    }
    for l in &site.tail {
        line(out, l);
    }
    if rng.chance(0.5) {
        let tags: Vec<&str> = (0..3).map(|_| writer.lex.content_word(rng)).collect();
        line(out, &format!("Tags: {}", tags.join(", ")));
    }
    out.push_str(&format!("© {year} {}. All rights reserved.\n", site.name));
    site_index
}

/// The URL of a page.
pub fn url(site: &Site, core: &Core, key: u64) -> String {
    let (y, m, d) = core.date;
    let slug: String = core
        .title
        .split(' ')
        .take(6)
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("-");
    format!(
        "https://{}/{y}/{m:02}/{d:02}/{slug}-{:x}",
        site.domain,
        mix(key) & 0xffff_ffff
    )
}
