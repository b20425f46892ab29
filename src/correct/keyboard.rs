//! QWERTY key adjacency: a slip of the finger hits a neighbouring key far more often than a
//! distant one, so substitutions and insertions of neighbours are likelier typos. Takes two
//! ASCII letters; answers whether their keys touch.

const ROWS: [&[u8]; 3] = [b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];
/// Horizontal offset of each row in key widths (the staggered layout).
const ROW_OFFSET: [f32; 3] = [0.0, 0.25, 0.75];

fn position(c: u8) -> Option<(f32, f32)> {
    let c = c.to_ascii_lowercase();
    ROWS.iter().enumerate().find_map(|(row, keys)| {
        keys.iter()
            .position(|&k| k == c)
            .map(|col| (row as f32, col as f32 + ROW_OFFSET[row]))
    })
}

/// Whether the keys of `a` and `b` are neighbours on a QWERTY keyboard.
pub fn adjacent(a: u8, b: u8) -> bool {
    if a.eq_ignore_ascii_case(&b) {
        return false;
    }
    match (position(a), position(b)) {
        (Some((ra, ca)), Some((rb, cb))) => {
            let dr = (ra - rb).abs();
            let dc = (ca - cb).abs();
            (dr == 0.0 && dc <= 1.0) || (dr == 1.0 && dc <= 0.8)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_on_the_same_and_adjacent_rows() {
        assert!(adjacent(b'e', b'w'));
        assert!(adjacent(b'e', b'r'));
        assert!(adjacent(b'e', b'd'));
        assert!(adjacent(b'g', b'b'));
        assert!(adjacent(b'q', b'a'));
        assert!(!adjacent(b'q', b'p'));
        assert!(!adjacent(b'e', b'e'));
        assert!(!adjacent(b'a', b'm'));
        assert!(!adjacent(b'1', b'a'));
    }
}
