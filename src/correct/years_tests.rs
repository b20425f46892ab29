//! Unit tests of broken-year repair: each year context, and the counts, amounts and fractions
//! that must stay untouched.

use super::*;
use crate::correct::tokens::chunks;

/// Repairs `text` the way the corrector does, with the article's own years.
fn repair(text: &str) -> String {
    repair_in(text, &BTreeMap::new())
}

/// Repairs `text` with the article's own years and the corpus's `corpus` years.
fn repair_in(text: &str, corpus: &BTreeMap<u16, u32>) -> String {
    repair_with(text, corpus, None).0
}

/// Repairs `text` as an article published on `date`; also returns the reasons.
fn repair_with(
    text: &str,
    corpus: &BTreeMap<u16, u32>,
    date: Option<&str>,
) -> (String, Vec<&'static str>) {
    let cfg = CorrectConfig::default();
    let cs = chunks(text, 4);
    let mut mentions = YearMentions::default();
    mentions.observe(text, &cs, 0, &cfg);
    mentions.set_published(date);
    let mut out = text.to_string();
    let found = repairs(text, &cs, 0, &mentions, corpus, &cfg);
    for r in found.iter().rev() {
        out.replace_range(r.range.clone(), &r.year.to_string());
    }
    (out, found.iter().map(|r| r.reason).collect())
}

/// A corpus crawled in 2019: its mentions cluster on 2018-2020.
fn corpus_of_2019() -> BTreeMap<u16, u32> {
    [(2016, 3), (2018, 9), (2019, 10), (2020, 9), (2024, 2)]
        .into_iter()
        .collect()
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

#[test]
fn a_year_counted_from_the_one_before() {
    // The article names only 2016; "The next year" makes the second number 2017, not 2016.
    let text = "They were taken in August 216. The next year, the group released videos of \
                them and another in January 201 in which they looked pale. Held since 2016.";
    let (out, reasons) = repair_with(text, &BTreeMap::new(), None);
    assert!(out.contains("in August 2016. The next year"), "{out}");
    assert!(out.contains("in January 2017 in which"), "{out}");
    assert_eq!(reasons, ["year:doc_context", "year:relative"]);
    for (text, fixed) in [
        (
            "The firm opened in 2016. Two years later, in 218, it moved.",
            "The firm opened in 2016. Two years later, in 2018, it moved.",
        ),
        (
            "It won in 2018. The previous year, in 217, it lost.",
            "It won in 2018. The previous year, in 2017, it lost.",
        ),
    ] {
        assert_eq!(
            repair_with(text, &BTreeMap::new(), None),
            (fixed.to_string(), vec!["year:relative"])
        );
    }
}

#[test]
fn a_counted_year_that_the_number_cannot_be_leaves_it() {
    // 2018 + 2 = 2020 is not one edit from 218; the article's 2018 is not taken instead.
    let text = "They met in 2018. Two years later, in 218, they parted.";
    assert_eq!(repair(text), text);
    // "a year after 216": the number is the anchor, not the year counted from it.
    assert_eq!(
        repair("The vote was in 2016. A year after 216 the plan was dropped."),
        "The vote was in 2016. A year after 2016 the plan was dropped."
    );
    // Counts stay counts whatever the cue.
    let text = "In 2016 they met. The next year 201 people came.";
    assert_eq!(repair(text), text);
}

#[test]
fn a_span_back_from_the_present() {
    let corpus = corpus_of_2019();
    assert_eq!(
        repair_in(
            "Troops remain there, 18 years after the invasion that followed the \
             September 11, 201 attacks.",
            &corpus
        ),
        "Troops remain there, 18 years after the invasion that followed the \
         September 11, 2001 attacks."
    );
    assert_eq!(
        repair_with("Three years ago, in 216, the mill closed.", &corpus, None),
        (
            "Three years ago, in 2016, the mill closed.".to_string(),
            vec!["year:elapsed"]
        )
    );
    // The publication date wins over the corpus: 2012 - 3 = 2009, not one edit from 216.
    let text = "Three years ago, in 216, the mill closed.";
    assert_eq!(repair_with(text, &corpus, Some("2012-05-01")).0, text);
}

#[test]
fn a_span_back_needs_a_present_and_a_present_clause() {
    let corpus = corpus_of_2019();
    // No present year known: the cue cannot be reckoned, nothing else decides.
    let text = "Troops remain there, 18 years after the September 11, 201 attacks.";
    assert_eq!(repair(text), text);
    // The span counts from a past event, not from the present.
    let text = "Two years after the crash in 201, the firm collapsed.";
    assert_eq!(repair_in(text, &corpus), text);
    // 2019 - 18 = 2001 is not one edit from 205.
    let text = "Eighteen years ago, in 205, it began.";
    assert_eq!(repair_in(text, &corpus), text);
}

#[test]
fn a_decade_named_nearby() {
    let text = "The carrier will grow again in the early 2020s. Its chief said it aims to \
                add 30 jets by the end of 205.";
    let (out, reasons) = repair_with(text, &BTreeMap::new(), None);
    assert!(out.ends_with("by the end of 2025."), "{out}");
    assert_eq!(reasons, ["year:decade"]);
    // The decade of the number's own sentence is another time than the number's.
    let text = "He was born in 197 and came of age in the 1990s.";
    assert_eq!(repair(text), text);
    // Two decades nearby: 2005 and 2015 both fit.
    let text = "Sales fell in the 2000s and the 2010s. They peaked in 205.";
    assert_eq!(repair(text), text);
}

#[test]
fn a_plan_or_forecast_is_not_about_the_past() {
    let corpus = corpus_of_2019();
    // 2018 and 2028 are both one edit from 208; a plan made around 2019 runs to 2028.
    let text = "The contract began in 2018. NASA plans to spend $2.6 billion on it through \
                November 208, officials said. The goal for 2028 stands.";
    let (out, reasons) = repair_with(text, &corpus, None);
    assert!(out.contains("through November 2028,"), "{out}");
    assert_eq!(reasons, ["year:doc_context"]);
    // Without a present year the two stay tied.
    assert_eq!(repair(text), text);
    // A plan does not single out a year by itself: 2025, 2035 and 2050-2059 all fit.
    let text = "The airline plans to double its fleet in 205, it said.";
    assert_eq!(repair_in(text, &corpus), text);
    // The cue can be wrong ("will never forget" looks back): a year it rules out is left,
    // never replaced by a later one.
    let text = "He will never forget how he won in 216 in the state.";
    assert_eq!(repair_in(text, &corpus), text);
    // Behind a clause stop the cue does not reach the number.
    assert_eq!(
        repair_in("He will win again, as he did in 216 in the state.", &corpus),
        "He will win again, as he did in 2016 in the state."
    );
    // "since" looks back, whatever the tense: 1990-1999 all fit.
    let text = "It will be the first win since 199, they said.";
    assert_eq!(repair_in(text, &corpus), text);
}

#[test]
fn a_plan_in_a_side_clause_does_not_reach_the_number() {
    let corpus = corpus_of_2019();
    assert_eq!(
        repair_in(
            "The plant, which will close, opened in 218. It was 2018.",
            &corpus
        ),
        "The plant, which will close, opened in 2018. It was 2018."
    );
}

#[test]
fn a_span_back_reaches_only_its_own_clause() {
    let corpus = corpus_of_2019();
    // "a year ago" is one comparison, "October 215" another.
    let (out, reasons) = repair_with(
        "The price was up from $38,373 a year ago and from $34,410 in October 215.",
        &corpus,
        None,
    );
    assert!(out.ends_with("in October 2015."), "{out}");
    assert_eq!(reasons, ["year:range"]);
    // Opening the sentence, the cue sets the time of all of it.
    assert_eq!(
        repair_with(
            "About three years ago, when the mill shut and the town emptied in 216, few cared.",
            &corpus,
            None
        )
        .1,
        ["year:elapsed"]
    );
}

#[test]
fn a_date_before_a_noun_is_a_year_after_the() {
    let corpus = corpus_of_2019();
    let cfg = CorrectConfig::default();
    let text = "since the September 11, 201 attacks";
    let cs = chunks(text, 4);
    assert_eq!(year_context(text, &cs, 4, &cfg), Some(YearContext::Strong));
    for text in [
        "On March 3, 200 people marched.",
        "In 2019, on March 3, 200 people marched.",
        "By May 200 people had signed.",
    ] {
        assert_eq!(repair_in(text, &corpus), text);
    }
}

#[test]
fn the_range_alone_does_not_reach_far_into_the_past() {
    let corpus = corpus_of_2019();
    let text = "In the first half of 2012, 852 Ions and 935 others were sold.";
    assert_eq!(repair_in(text, &corpus), text);
    assert_eq!(
        repair_in("The plant closed in 2012, 216 and 2018.", &corpus),
        "The plant closed in 2012, 2016 and 2018."
    );
}

#[test]
fn the_present_year() {
    let cfg = CorrectConfig::default();
    let corpus = corpus_of_2019();
    assert_eq!(
        cues::corpus_present(
            &corpus,
            cfg.year_present_min_mentions,
            cfg.year_present_min_share
        ),
        Some(2019)
    );
    // A spread-out archive has no present year.
    let archive: BTreeMap<u16, u32> = (1990..2020).map(|y| (y, 2)).collect();
    assert_eq!(cues::corpus_present(&archive, 10, 0.25), None);
    // Too few mentions to tell.
    let few: BTreeMap<u16, u32> = [(2019, 3)].into_iter().collect();
    assert_eq!(cues::corpus_present(&few, 10, 0.25), None);
    // An article of the corpus's time takes its present; one whose years centre on another
    // time does not; the publication date wins over both.
    let present = |text: &str, date: Option<&str>| {
        let cs = chunks(text, 4);
        let mut mentions = YearMentions::default();
        mentions.observe(text, &cs, 0, &cfg);
        mentions.set_published(date);
        mentions.present(&corpus, &cfg)
    };
    assert_eq!(present("No year here.", None), Some(2019));
    assert_eq!(
        present("Sales fell in 2018. The 2020 race is on.", None),
        Some(2019)
    );
    assert_eq!(
        present("The eclipse of Aug. 21, 2024 will be seen.", None),
        None
    );
    assert_eq!(present("It happened in 2009 and 2012.", None), None);
    assert_eq!(
        present("It happened in 2009.", Some("2012-03-01")),
        Some(2012)
    );
}

#[test]
fn decades_are_read_from_their_forms() {
    assert_eq!(cues::as_decade("2020s"), Some(2020));
    assert_eq!(cues::as_decade("mid-1950s"), Some(1950));
    assert_eq!(cues::as_decade("2025s"), None);
    assert_eq!(cues::as_decade("20s"), None);
    assert_eq!(cues::as_decade("1990"), None);
}

#[test]
fn year_distance_counts_like_strsim() {
    for number in [
        "",
        "2",
        "20",
        "200",
        "216",
        "1961",
        "2001",
        "20016",
        "1x9",
        "９９",
        "123456789",
    ] {
        for year in [0u16, 7, 99, 200, 1700, 1961, 2000, 2016, 2099, 65535] {
            assert_eq!(
                year_distance(number, year),
                strsim::levenshtein(number, &year.to_string()),
                "{number} vs {year}"
            );
        }
    }
}

#[test]
fn candidates_are_the_years_within_the_distance() {
    let cfg = CorrectConfig::default();
    assert!(
        candidates("2", 1, &cfg).is_empty(),
        "one digit is three edits from any year"
    );
    assert_eq!(candidates("216", 1, &cfg), [2016]);
    let mut around_200: Vec<u16> = (2000..=2009).chain((2010..=2090).step_by(10)).collect();
    around_200.sort_unstable();
    assert_eq!(candidates("200", 1, &cfg), around_200);
    assert_eq!(candidates("20016", 1, &cfg), [2001, 2006, 2016]);
}

proptest::proptest! {
    #[test]
    fn spelled_out_candidates_are_the_scanned_ones(number in "[0-9]{1,6}", max in 0usize..=1) {
        let cfg = CorrectConfig::default();
        let scanned: Vec<u16> = (cfg.year_min..=cfg.year_max)
            .filter(|&y| year_distance(&number, y) <= max)
            .collect();
        proptest::prop_assert_eq!(candidates(&number, max, &cfg), scanned);
    }
}

proptest::proptest! {
    /// The byte pre-check of the year loops passes every core `as_year` or `as_decade` reads
    /// as a year or decade, so skipping on it loses none.
    #[test]
    fn the_year_pre_check_passes_every_year_and_decade(
        lead in "[\"(a-z-]{0,3}",
        core in "(mid-|[a-z]{1,2}-)?[0-9]{1,5}s?|[0-9a-z's-]{1,6}",
        trail in "[.,;:)\"s]{0,2}",
    ) {
        let cfg = CorrectConfig { year_min: 0, year_max: 9999, ..CorrectConfig::default() };
        let text = format!("{lead}{core}{trail} next");
        for chunk in chunks(&text, 4) {
            let core = chunk.core(&text);
            if as_year(core, &cfg).is_some() || cues::as_decade(core).is_some() {
                proptest::prop_assert!(
                    ends_like_year_or_decade(text.as_bytes(), &chunk),
                    "{core:?} in {text:?}"
                );
            }
        }
    }
}
