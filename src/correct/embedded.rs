//! The lexicon's tables and the default delete index, built at compile time by `build.rs`
//! (from the bundled lists, with `tables.rs`) and embedded in the binary. Takes nothing;
//! gives the arrays in place, with no parsing and no copy: the pages a run reads come from
//! the binary's file as it touches them. A blob that does not read back as the layout says
//! gives `None`, and the caller builds the tables instead.

use super::tables::{
    DeleteTable, IndexParams, LexiconTables, ARRAYS, FIXED_WORDS, HEADER_WORDS, MAGIC, VERSION,
};
use std::borrow::Cow;
use std::sync::OnceLock;

/// Aligns the embedded bytes for reading them as `u64`s.
#[repr(C, align(8))]
struct Aligned<B: ?Sized>(B);

static BLOB: &Aligned<[u8]> = &Aligned(*include_bytes!(concat!(env!("OUT_DIR"), "/tables.bin")));

/// The embedded tables (see `tables::encode` for the layout), borrowing their arrays.
#[derive(Debug)]
pub struct Tables {
    pub lexicon: LexiconTables,
    pub index: DeleteTable,
    /// The settings the index was built with.
    pub params: IndexParams,
}

/// The embedded blob's bytes, as `tables::encode` wrote them (a test compares them with the
/// tables built from the lists).
pub fn bytes() -> &'static [u8] {
    &BLOB.0
}

/// The embedded tables, read on first use; `None` if the blob does not read back.
pub fn tables() -> Option<&'static Tables> {
    static TABLES: OnceLock<Option<Tables>> = OnceLock::new();
    TABLES.get_or_init(|| decode(bytes())).as_ref()
}

/// The arrays of `blob` in place, checked against the header.
fn decode(blob: &'static [u8]) -> Option<Tables> {
    let header: &[u64] = bytemuck::try_cast_slice(blob.get(..HEADER_WORDS * 8)?).ok()?;
    let [magic, version, frequency_words, total, map_bits, index_bits, index_len, min_count_edit2, min_len_edit2, max_len, arrays] =
        *header.get(..FIXED_WORDS)?
    else {
        return None;
    };
    if magic != MAGIC || version != VERSION || arrays != ARRAYS as u64 {
        return None;
    }
    let ranges = header.get(FIXED_WORDS..)?;
    let array = |i: usize, size: usize| -> Option<&'static [u8]> {
        let (offset, len) = (
            *ranges.get(2 * i)? as usize,
            *ranges.get(2 * i + 1)? as usize,
        );
        blob.get(offset..offset.checked_add(len.checked_mul(size)?)?)
    };
    let words =
        |i: usize| -> Option<&'static [u64]> { bytemuck::try_cast_slice(array(i, 8)?).ok() };
    let lexicon = LexiconTables {
        frequency_words: u32::try_from(frequency_words).ok()?,
        spans: Cow::Borrowed(words(0)?),
        counts: Cow::Borrowed(words(1)?),
        names: Cow::Borrowed(array(5, 1)?),
        total,
        map_bits: u32::try_from(map_bits).ok()?,
        map_keys: Cow::Borrowed(words(2)?),
        map_ids: Cow::Borrowed(bytemuck::try_cast_slice(array(4, 4)?).ok()?),
    };
    let index = DeleteTable {
        table: Cow::Borrowed(words(3)?),
        bits: u32::try_from(index_bits).ok()?,
        len: usize::try_from(index_len).ok()?,
    };
    let params = IndexParams {
        min_count_edit2,
        min_len_edit2: usize::try_from(min_len_edit2).ok()?,
        max_len: usize::try_from(max_len).ok()?,
    };
    let slots = |bits: u32| 1usize.checked_shl(bits).filter(|_| bits > 0 && bits < 64);
    let consistent = lexicon.counts.len() == lexicon.frequency_words as usize
        && lexicon.names.len() == lexicon.spans.len()
        && slots(lexicon.map_bits) == Some(lexicon.map_keys.len())
        && lexicon.map_ids.len() == lexicon.map_keys.len()
        && slots(index.bits) == Some(index.table.len());
    let tables = Tables {
        lexicon,
        index,
        params,
    };
    consistent.then_some(tables)
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::{FREQUENCY_LIST, KNOWN_LIST, NAME_LIST};
    use super::super::tables::{encode, DeleteTable, LexiconTables, DEFAULT_INDEX_PARAMS};
    use super::*;

    #[test]
    fn the_embedded_tables_are_what_the_bundled_lists_give() {
        let lexicon = LexiconTables::build(FREQUENCY_LIST, KNOWN_LIST, NAME_LIST);
        let words = lexicon.words(FREQUENCY_LIST, KNOWN_LIST);
        let index = DeleteTable::build(words, DEFAULT_INDEX_PARAMS);
        let big_endian = cfg!(target_endian = "big");
        let built = encode(&lexicon, &index, DEFAULT_INDEX_PARAMS, big_endian);
        // Not assert_eq: a difference would print 26 MB.
        assert!(
            built == bytes(),
            "the embedded tables differ from the lists' tables"
        );
        let tables = tables().expect("the embedded blob reads back");
        assert_eq!(tables.params, DEFAULT_INDEX_PARAMS);
        assert_eq!((&tables.lexicon, &tables.index), (&lexicon, &index));
        assert!(tables.lexicon.spans.len() > 100_000 && tables.index.len > 500_000);
    }

    #[test]
    fn a_blob_that_does_not_read_back_is_refused() {
        let blob = bytes();
        assert!(decode(blob).is_some());
        assert!(
            decode(&blob[..HEADER_WORDS * 8]).is_none(),
            "arrays cut off"
        );
        assert!(decode(&blob[..64]).is_none(), "header cut off");
        let misaligned = blob.get(1..).expect("bytes");
        assert!(decode(misaligned).is_none(), "not 8-byte aligned");
        let mut other_magic = blob[..HEADER_WORDS * 8].to_vec();
        other_magic[0] ^= 1;
        assert!(decode(Box::leak(other_magic.into_boxed_slice())).is_none());
    }
}
