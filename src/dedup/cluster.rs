//! Union-find over article indices: takes the verified duplicate edges, produces clusters. The
//! partition is the connected components of the edges, so it does not depend on the order in
//! which edges are added (and hence not on the thread count that found them).

/// A disjoint-set forest with path halving and union by size.
#[derive(Debug, Clone)]
pub struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    /// `n` singletons.
    pub fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    /// The root of `x`'s set.
    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grandparent = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grandparent;
            x = grandparent;
        }
        x
    }

    /// Joins the sets of `a` and `b`; returns whether they were apart.
    pub fn union(&mut self, a: u32, b: u32) -> bool {
        let (mut ra, mut rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        if self.size[ra as usize] < self.size[rb as usize] {
            std::mem::swap(&mut ra, &mut rb);
        }
        self.parent[rb as usize] = ra;
        self.size[ra as usize] += self.size[rb as usize];
        true
    }

    /// The root of every element, in element order.
    pub fn roots(&mut self) -> Vec<u32> {
        (0..self.parent.len() as u32)
            .map(|x| self.find(x))
            .collect()
    }

    /// Number of elements in the set whose root is `root`.
    pub fn set_size(&self, root: u32) -> u32 {
        self.size[root as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_do_not_depend_on_edge_order() {
        let edges = [(0, 1), (2, 3), (1, 3), (5, 6)];
        let mut forward = UnionFind::new(7);
        let mut backward = UnionFind::new(7);
        for &(a, b) in &edges {
            forward.union(a, b);
        }
        for &(a, b) in edges.iter().rev() {
            backward.union(b, a);
        }
        let label = |uf: &mut UnionFind| {
            let roots = uf.roots();
            (0..7)
                .map(|i| (0..7).find(|&j| roots[j] == roots[i]).unwrap_or(i))
                .collect::<Vec<_>>()
        };
        assert_eq!(label(&mut forward), vec![0, 0, 0, 0, 4, 5, 5]);
        assert_eq!(label(&mut forward), label(&mut backward));
        let r = forward.find(0);
        assert_eq!(forward.set_size(r), 4);
        assert!(!forward.union(0, 3));
    }
}
