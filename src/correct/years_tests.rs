//! Unit tests of broken-year repair: each year context, and the counts, amounts and fractions
//! that must stay untouched.

use super::*;
use crate::correct::tokens::chunks;

/// Repairs `text` the way the corrector does, with the article's own years.
fn repair(text: &str) -> String {
    let cfg = CorrectConfig::default();
    let cs = chunks(text, 4);
    let mut mentions = YearMentions::default();
    mentions.observe(text, &cs, 0, &cfg);
    let mut out = text.to_string();
    for r in repairs(text, &cs, 0, &mentions, &BTreeMap::new(), &cfg)
        .iter()
        .rev()
    {
        out.replace_range(r.range.clone(), &r.year.to_string());
    }
    out
}

#[test]
fn list_with_four_digit_years() {
    // 2000 and 2001 are both one digit away; 2000 is mentioned more often.
    let text = "Signed in 1961, 200, and 2021. The first visit since 2000. The 2000 treaty and \
                the declarations of 2000 and 2001.";
    assert!(repair(text).starts_with("Signed in 1961, 2000, and 2021."));
}

#[test]
fn coordination_with_through() {
    assert_eq!(
        repair("Models from 216 through 2019 were slow. The 2016 one was worse."),
        "Models from 2016 through 2019 were slow. The 2016 one was worse."
    );
}

#[test]
fn a_year_of_the_same_sentence_is_not_the_repair() {
    // 2006 is named in the sentence itself; the broken year is another one.
    let text = "Calls fell from January 2006 and had halved by 200. Then came 2012.";
    assert_eq!(repair(text), text);
}

#[test]
fn the_only_year_in_range_repairs_when_the_article_has_none_close() {
    let cfg = CorrectConfig::default();
    assert_eq!(only_year_in_range("216", &cfg), Some(2016));
    assert_eq!(only_year_in_range("220", &cfg), Some(2020));
    assert_eq!(only_year_in_range("200", &cfg), None, "2000..2009 and more");
    assert_eq!(only_year_in_range("199", &cfg), None);
    assert_eq!(
        repair("Trump won there in 216. Four years on, in 1990 terms, that was odd."),
        "Trump won there in 2016. Four years on, in 1990 terms, that was odd."
    );
}

#[test]
fn date_patterns() {
    assert_eq!(
        repair("Posted November 15, 219. The 2019 season went on."),
        "Posted November 15, 2019. The 2019 season went on."
    );
    assert_eq!(
        repair("He moved in August 216. The 2016 vote came first."),
        "He moved in August 2016. The 2016 vote came first."
    );
    assert_eq!(
        repair("A will from October of 200, it seems. It was drafted in 2006."),
        "A will from October of 2006, it seems. It was drafted in 2006."
    );
}

#[test]
fn after_preposition_with_a_year_nearby() {
    assert_eq!(
        repair("Trump won by 30 points in 216. And in 2016 he won again."),
        "Trump won by 30 points in 2016. And in 2016 he won again."
    );
    assert_eq!(
        repair("It was the first time since 199, flipping seats. Held since 1993."),
        "It was the first time since 1993, flipping seats. Held since 1993."
    );
}

#[test]
fn weak_preposition_without_a_nearby_year_is_left_alone() {
    let text = "They counted up to a total of 216.";
    assert_eq!(repair(text), text);
    assert_eq!(repair("They waited in 216."), "They waited in 2016.");
}

#[test]
fn the_year_as_a_modifier_needs_the_article_year() {
    assert_eq!(
        repair("They are well into the 220 campaign. The 2020 race is on."),
        "They are well into the 2020 campaign. The 2020 race is on."
    );
    let text = "They are well into the 220 campaign.";
    assert_eq!(repair(text), text, "no year in the article");
    let text = "The 2000 plan helped the 200 people there.";
    assert_eq!(repair(text), text);
}

#[test]
fn counts_amounts_and_fractions_are_untouched() {
    for text in [
        "In 2000 about 200 people came.",
        "In 2000 aid reached people in 200 villages.",
        "In 2000 the odds were 1/200 at best.",
        "In 2000 it cost $200, and in 2001 more.",
        "In 2000 it rose by 200% and by 20 percent in 2001.",
        "In 2000 he ranked No. 200 of 2001 players.",
        "In 2000 he was 20, in 2001 he was 21.",
        "Between 2004 and 216 people came.",
        "In May 200 people came in 2001.",
    ] {
        assert_eq!(repair(text), text);
    }
}

#[test]
fn ambiguous_years_are_left_alone() {
    // 2006 and 2009 are both one digit from 200 and equally mentioned.
    let text = "Sales began in January 2006. It had halved by 200. Then 2009 came.";
    assert_eq!(repair(text), text);
}

#[test]
fn closest_year_prefers_unique_then_most_mentioned() {
    let mentions: BTreeMap<u16, u32> = [(2000, 3), (2001, 1), (2021, 2)].into_iter().collect();
    assert_eq!(closest_year("200", &mentions, 1, Some(2)), Some((2000, 1)));
    assert_eq!(
        closest_year("200", &mentions, 1, Some(3)),
        None,
        "lead too small"
    );
    assert_eq!(closest_year("200", &mentions, 1, None), None);
    assert_eq!(closest_year("221", &mentions, 1, None), Some((2021, 1)));
    assert_eq!(closest_year("20019", &mentions, 1, None), Some((2001, 1)));
    let mentions: BTreeMap<u16, u32> = [(2019, 1)].into_iter().collect();
    assert_eq!(closest_year("20019", &mentions, 1, None), Some((2019, 1)));
}

#[test]
fn corpus_years_are_the_fallback() {
    let cfg = CorrectConfig::default();
    let text = "The plant closed in 219, workers said.";
    let cs = chunks(text, 4);
    let corpus: BTreeMap<u16, u32> = [(2019, 5), (1998, 3)].into_iter().collect();
    let r = repairs(text, &cs, 0, &YearMentions::default(), &corpus, &cfg);
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].year, r[0].reason), (2019, "year:corpus_context"));
    let text = "The plant opened in 1998 and closed in 219, workers said.";
    let cs = chunks(text, 4);
    let mut mentions = YearMentions::default();
    mentions.observe(text, &cs, 0, &cfg);
    let r = repairs(text, &cs, 0, &mentions, &corpus, &cfg);
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].year, r[0].reason), (2019, "year:corpus_context"));
}
