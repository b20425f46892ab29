//! Page regions: menus (runs of short capitalised lines) and the article's main span (the
//! regions of text lines that hold a fair share of the page's text). Teasers of other stories
//! around an article are text too, but each is a small region far from the article's bulk.
//! It relabels verdicts; it reads no text.

use crate::extract::classify::{BlockThresholds, Class, Verdict};

/// Runs of at least `run` short, capitalised, non-sentence lines are menus: `Bad`, so a
/// menu between two text blocks is not taken for a run of subheadings.
pub fn mark_menus(v: &mut [Verdict], run: usize) {
    let is_item = |x: &Verdict| x.class == Class::Short && !x.sentence && x.capitalised;
    let mut i = 0;
    while i < v.len() {
        let len = v[i..].iter().take_while(|x| is_item(x)).count();
        if len >= run.max(1) {
            for x in &mut v[i..i + len] {
                x.class = Class::Bad;
                x.initial = Class::Bad;
                x.reason = "block:menu";
            }
        }
        i += len.max(1);
    }
}

/// Keeps only the span of the article: regions of text lines (initially good or near-good,
/// at most `region_gap` other lines apart) are scored by their text length; the span runs from
/// the first to the last region holding at least `region_min_share` of the largest one's text.
/// Teasers of other stories below or above an article are regions of one summary each.
pub fn keep_main_span(v: &mut [Verdict], t: &BlockThresholds) {
    let mut regions: Vec<(usize, usize, usize)> = Vec::new();
    let mut gap = usize::MAX;
    for (i, x) in v.iter().enumerate() {
        let weight = match x.initial {
            Class::Good if !x.hard => x.chars,
            Class::NearGood if !x.hard => x.chars / 2,
            // Short sentences (questions of an interview, one-line quotes) hold a region together.
            Class::Short if !x.hard && x.sentence => x.chars / 2,
            _ => 0,
        };
        if weight == 0 {
            if !x.transparent {
                gap = gap.saturating_add(1);
            }
            continue;
        }
        match regions.last_mut() {
            Some(last) if gap <= t.region_gap => {
                last.1 = i;
                last.2 += weight;
            }
            _ => regions.push((i, i, weight)),
        }
        gap = 0;
    }
    let Some(best) = regions.iter().map(|r| r.2).max() else {
        return;
    };
    let threshold = (best as f32 * t.region_min_share) as usize;
    let kept = regions.iter().filter(|r| r.2 >= threshold);
    let (Some(start), Some(end)) = (kept.clone().map(|r| r.0).min(), kept.map(|r| r.1).max())
    else {
        return;
    };
    for (i, x) in v.iter_mut().enumerate() {
        if (i < start || i > end) && x.class == Class::Good {
            x.class = Class::Bad;
            x.reason = "block:outside_main";
        }
    }
}
