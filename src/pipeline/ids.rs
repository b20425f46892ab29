//! The ids of a run's articles, kept from the cleaning pass to the write pass: the dedup
//! reduce breaks ties by id and the duplicates table names the copy kept. One string and one
//! offset per article instead of a `String` each: the ids grow with the corpus, and small
//! long-lived allocations among the cleaning pass's short-lived ones keep allocator pages
//! resident.

/// Ids in input order.
#[derive(Debug, Default)]
pub(super) struct IdList {
    text: String,
    ends: Vec<usize>,
}

impl IdList {
    /// Appends `id`.
    pub(super) fn push(&mut self, id: &str) {
        self.text.push_str(id);
        self.ends.push(self.text.len());
    }

    /// Number of ids.
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The `i`-th id; panics when `i >= len()`, like a slice index.
    pub(super) fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    /// All ids as slices, for the dedup reduce and the write pass.
    pub(super) fn as_strs(&self) -> Vec<&str> {
        (0..self.len()).map(|i| self.get(i)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::IdList;

    #[test]
    fn gives_back_the_ids_in_order() {
        let mut ids = IdList::default();
        for id in ["a", "", "jsonl/part-1.jsonl:7", "ünï"] {
            ids.push(id);
        }
        assert_eq!(ids.len(), 4);
        assert_eq!(ids.as_strs(), ["a", "", "jsonl/part-1.jsonl:7", "ünï"]);
        assert_eq!(ids.get(2), "jsonl/part-1.jsonl:7");
    }
}
