//! Which words of an article the lexicon knows, as the statistics pass found them, carried to
//! the cleaning pass so the corrector need not look them up again. Takes the chunks of each
//! paragraph (`tokens::for_each_core` order, which is `tokens::push_chunks` order); gives, per
//! paragraph still as it was, one bit per chunk: set when the chunk's core is a short word of
//! ASCII letters in the lexicon, the one kind of chunk the corrector's first check turns away
//! on the lexicon's answer alone. Both passes asked the lexicon about every word: the second
//! asking, with the shape and guard checks around it, was ~5% of a run's instructions.

/// Where a paragraph's bits are: its first word in the bits and its number of chunks; `None`
/// for a paragraph without marks.
pub type ParagraphMarks = Option<(u32, u32)>;

/// One bit per chunk of each paragraph: whether its core is a known short ASCII word.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownWords {
    /// The bits, paragraph after paragraph, each paragraph from a word of its own.
    bits: Vec<u64>,
    /// Per paragraph, its first word in `bits` and its number of chunks; `None` for a
    /// paragraph whose text changed since it was marked (the bits are no longer its chunks').
    paragraphs: Vec<ParagraphMarks>,
}

/// The bits of one paragraph.
#[derive(Debug, Clone, Copy)]
pub struct KnownParagraph<'a> {
    bits: &'a [u64],
}

impl KnownParagraph<'_> {
    /// Whether chunk `chunk` of the paragraph is a known short ASCII word.
    #[inline]
    pub fn is_known(&self, chunk: usize) -> bool {
        self.bits
            .get(chunk / 64)
            .is_some_and(|word| word >> (chunk % 64) & 1 != 0)
    }
}

impl KnownWords {
    /// Marks the next paragraph: whether each of its chunks, in order, is a known word.
    #[inline]
    pub fn mark_paragraph(&mut self, chunks: impl Iterator<Item = bool>) {
        let first = self.bits.len();
        let (mut word, mut filled, mut count) = (0u64, 0u32, 0u32);
        for known in chunks {
            word |= u64::from(known) << filled;
            filled += 1;
            count += 1;
            if filled == 64 {
                self.bits.push(word);
                (word, filled) = (0, 0);
            }
        }
        if filled > 0 {
            self.bits.push(word);
        }
        let first = u32::try_from(first).ok();
        self.paragraphs.push(first.map(|first| (first, count)));
    }

    /// The bits of paragraph `para`, if it has `chunks` chunks as marked (a paragraph with
    /// another number of chunks is not the one marked, and gets none).
    pub fn paragraph(&self, para: usize, chunks: usize) -> Option<KnownParagraph<'_>> {
        let (bits, marked) = self.marks(para)?;
        (marked == chunks).then_some(KnownParagraph { bits })
    }

    /// Whether every chunk of paragraph `para` was marked a known word (false when it has no
    /// marks).
    pub fn all_known(&self, para: usize) -> bool {
        let Some((bits, chunks)) = self.marks(para) else {
            return false;
        };
        bits.iter().enumerate().all(|(i, &word)| {
            let in_word = (chunks - 64 * i).min(64);
            let mask = if in_word == 64 {
                u64::MAX
            } else {
                (1 << in_word) - 1
            };
            word & mask == mask
        })
    }

    /// The bit words of paragraph `para` and its number of chunks, if it has marks.
    fn marks(&self, para: usize) -> Option<(&[u64], usize)> {
        let (first, chunks) = (*self.paragraphs.get(para)?)?;
        let (first, chunks) = (first as usize, chunks as usize);
        Some((self.bits.get(first..first + chunks.div_ceil(64))?, chunks))
    }

    /// The marks for the paragraphs an article was left with: `unchanged[i]` is the index
    /// paragraph `i` had when marked, or `None` when its text changed.
    pub fn for_paragraphs(self, unchanged: &[Option<usize>]) -> KnownWords {
        let paragraphs = unchanged
            .iter()
            .map(|was| was.and_then(|was| self.paragraphs.get(was).copied().flatten()))
            .collect();
        KnownWords {
            bits: self.bits,
            paragraphs,
        }
    }

    /// The parts, for the spill: the bits, then per paragraph its first word and its number
    /// of chunks (`None`: changed).
    pub fn parts(&self) -> (&[u64], &[ParagraphMarks]) {
        (&self.bits, &self.paragraphs)
    }

    /// Marks read back from `parts`; `None` if they do not fit together.
    pub fn from_parts(bits: Vec<u64>, paragraphs: Vec<ParagraphMarks>) -> Option<KnownWords> {
        let fits = paragraphs.iter().flatten().all(|&(first, chunks)| {
            (first as usize)
                .checked_add((chunks as usize).div_ceil(64))
                .is_some_and(|end| end <= bits.len())
        });
        fits.then_some(KnownWords { bits, paragraphs })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(paragraphs: &[&[bool]]) -> KnownWords {
        let mut known = KnownWords::default();
        for chunks in paragraphs {
            known.mark_paragraph(chunks.iter().copied());
        }
        known
    }

    #[test]
    fn bits_are_read_back_per_paragraph_across_words() {
        let long: Vec<bool> = (0..130).map(|i| i % 3 == 0).collect();
        let known = marked(&[&[true, false], &long, &[false, true, true]]);
        let first = known.paragraph(0, 2).expect("two chunks");
        assert!(first.is_known(0) && !first.is_known(1));
        let second = known.paragraph(1, 130).expect("130 chunks");
        assert!((0..130).all(|i| second.is_known(i) == (i % 3 == 0)));
        let third = known.paragraph(2, 3).expect("three chunks");
        assert!(!third.is_known(0) && third.is_known(1) && third.is_known(2));
    }

    #[test]
    fn a_paragraph_with_other_chunks_or_changed_text_gets_no_bits() {
        let known = marked(&[&[true], &[true, true]]);
        assert!(known.paragraph(0, 2).is_none(), "another number of chunks");
        assert!(known.paragraph(2, 1).is_none(), "no such paragraph");
        // Paragraph 0 was removed and paragraph 1 rewritten; a kept paragraph keeps its bits.
        let kept = known.clone().for_paragraphs(&[Some(1), None]);
        assert!(kept.paragraph(0, 2).is_some_and(|p| p.is_known(1)));
        assert!(kept.paragraph(1, 1).is_none());
    }

    #[test]
    fn all_known_needs_every_chunk_known() {
        let known = marked(&[&[true; 64], &[true; 65], &[true, false], &[], &[true; 130]]);
        assert!(known.all_known(0) && known.all_known(1) && known.all_known(4));
        assert!(!known.all_known(2), "one chunk unknown");
        assert!(known.all_known(3), "no chunk at all");
        assert!(!known.all_known(5), "no marks");
        let mut last_unknown = vec![true; 130];
        last_unknown[129] = false;
        assert!(!marked(&[&last_unknown]).all_known(0));
    }

    #[test]
    fn parts_round_trip_and_inconsistent_parts_are_refused() {
        let known = marked(&[&[true, false, true], &[false; 70]]);
        let (bits, paragraphs) = known.parts();
        assert_eq!(bits.len(), 3, "each paragraph from a word of its own");
        let back = KnownWords::from_parts(bits.to_vec(), paragraphs.to_vec());
        assert_eq!(back.as_ref(), Some(&known));
        assert!(KnownWords::from_parts(vec![0, 0], paragraphs.to_vec()).is_none());
        assert!(KnownWords::from_parts(bits.to_vec(), vec![Some((2, 65))]).is_none());
    }
}
