//! Node order within each column, chosen so that as few edges cross as it can manage.
//!
//! This is the ordering step of a layered (Sugiyama-style) drawing: columns are fixed by kind,
//! and sweeps left to right and back sort each column by the barycentre of its neighbours'
//! positions in the columns already placed. Edges may skip columns; a neighbour further away
//! pulls less (its weight is one over the distance). After every sweep the crossings are
//! counted and the best order seen is kept, so a sweep can never make the result worse; then,
//! on maps small enough, neighbours in a column are swapped wherever that removes crossings.
//!
//! Columns are drawn centred on one another, so a node's position is its row plus half the
//! difference between its column's length and the longest column's.

/// How many sweeps (each one way) to try. Barycentre ordering settles within a handful.
const SWEEPS: usize = 12;

/// Reorders `columns` (each a list of node indices, top to bottom) to reduce crossings of
/// `edges` (pairs of node indices in different columns). `column_of[node]` is the column
/// each node sits in. The first column's order is kept only if no better one is found.
pub(crate) fn order(columns: &mut [Vec<usize>], edges: &[(usize, usize)], column_of: &[usize]) {
    let n = column_of.len();
    let in_range = |v: usize| column_of.get(v).is_some_and(|&c| c < columns.len());
    if !columns.iter().flatten().all(|&v| in_range(v)) {
        return;
    }
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges {
        if in_range(a) && in_range(b) && a != b {
            if let Some(list) = neighbours.get_mut(a) {
                list.push(b);
            }
            if let Some(list) = neighbours.get_mut(b) {
                list.push(a);
            }
        }
    }
    let mut best = columns.to_vec();
    let mut best_crossings = crossings(columns, edges, column_of);
    for sweep in 0..SWEEPS {
        if best_crossings == 0 {
            break;
        }
        let forward = sweep % 2 == 0;
        let order: Vec<usize> = if forward {
            (1..columns.len()).collect()
        } else {
            (0..columns.len().saturating_sub(1)).rev().collect()
        };
        for c in order {
            let pos = positions(columns, n);
            let Some(column) = columns.get_mut(c) else {
                continue;
            };
            let mut keyed: Vec<(f64, usize)> = column
                .iter()
                .map(|&v| {
                    let mut sum = 0.0;
                    let mut weight = 0.0;
                    for &u in neighbours.get(v).into_iter().flatten() {
                        let (Some(&cu), Some(&pu)) = (column_of.get(u), pos.get(u)) else {
                            continue;
                        };
                        let fixed = if forward { cu < c } else { cu > c };
                        if fixed {
                            let w = 1.0 / (cu.abs_diff(c)) as f64;
                            sum += w * pu;
                            weight += w;
                        }
                    }
                    let key = if weight > 0.0 {
                        sum / weight
                    } else {
                        pos.get(v).copied().unwrap_or(0.0)
                    };
                    (key, v)
                })
                .collect();
            // A stable sort keeps ties (and nodes with no placed neighbour) where they were.
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            *column = keyed.into_iter().map(|(_, v)| v).collect();
        }
        let now = crossings(columns, edges, column_of);
        if now < best_crossings {
            best_crossings = now;
            best = columns.to_vec();
        }
    }
    columns.clone_from_slice(&best);
    if n <= TRANSPOSE_LIMIT {
        transpose(columns, edges, column_of, best_crossings);
    }
}

/// Above this many nodes the exchange pass is skipped: each try recounts every crossing.
const TRANSPOSE_LIMIT: usize = 800;

/// Local refinement after the sweeps: swap neighbours in a column whenever that removes
/// crossings, until no swap helps (or a few passes are done).
fn transpose(
    columns: &mut [Vec<usize>],
    edges: &[(usize, usize)],
    column_of: &[usize],
    mut now: u64,
) {
    for _ in 0..4 {
        let mut improved = false;
        for c in 0..columns.len() {
            let len = columns.get(c).map_or(0, Vec::len);
            for i in 1..len {
                if now == 0 {
                    return;
                }
                swap_with_previous(columns, c, i);
                let tried = crossings(columns, edges, column_of);
                if tried < now {
                    now = tried;
                    improved = true;
                } else {
                    swap_with_previous(columns, c, i);
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// Swaps row `i` of column `c` with the row above it (`i` is at least 1).
fn swap_with_previous(columns: &mut [Vec<usize>], c: usize, i: usize) {
    if let Some(pair) = columns
        .get_mut(c)
        .and_then(|column| column.get_mut(i - 1..=i))
    {
        pair.swap(0, 1);
    }
}

/// Each node's vertical position, in rows, with columns centred on the longest.
pub(crate) fn positions(columns: &[Vec<usize>], n: usize) -> Vec<f64> {
    let longest = columns.iter().map(Vec::len).max().unwrap_or(0);
    let mut pos = vec![0.0; n];
    for column in columns {
        let offset = (longest - column.len()) as f64 / 2.0;
        for (row, &v) in column.iter().enumerate() {
            if let Some(p) = pos.get_mut(v) {
                *p = offset + row as f64;
            }
        }
    }
    pos
}

/// The number of pairs of edges that cross, counting pairs that join the same two columns
/// (edges between different pairs of columns are not compared: a fair approximation, and it
/// keeps the count at O(E log E)).
pub fn crossings(columns: &[Vec<usize>], edges: &[(usize, usize)], column_of: &[usize]) -> u64 {
    let n = column_of.len();
    let pos = positions(columns, n);
    let mut by_pair: std::collections::BTreeMap<(usize, usize), Vec<(f64, f64)>> =
        std::collections::BTreeMap::new();
    for &(a, b) in edges {
        let (Some(&ca), Some(&cb), Some(&pa), Some(&pb)) =
            (column_of.get(a), column_of.get(b), pos.get(a), pos.get(b))
        else {
            continue;
        };
        if ca < cb {
            by_pair.entry((ca, cb)).or_default().push((pa, pb));
        } else if cb < ca {
            by_pair.entry((cb, ca)).or_default().push((pb, pa));
        }
    }
    let mut total = 0;
    for mut list in by_pair.into_values() {
        list.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)));
        let mut rights: Vec<f64> = list.into_iter().map(|(_, r)| r).collect();
        total += inversions(&mut rights);
    }
    total
}

/// Counts pairs `i < j` with `v[i] > v[j]`, sorting `v` (merge sort).
fn inversions(v: &mut [f64]) -> u64 {
    if v.len() < 2 {
        return 0;
    }
    let mut merged = Vec::with_capacity(v.len());
    let (left, right) = v.split_at_mut(v.len() / 2);
    let mut count = inversions(left) + inversions(right);
    let mut left = left.iter().copied().peekable();
    let mut right = right.iter().copied().peekable();
    while let (Some(&l), Some(&r)) = (left.peek(), right.peek()) {
        if r < l {
            // `r` comes before every value left in the left half.
            count += left.len() as u64;
            merged.push(r);
            right.next();
        } else {
            merged.push(l);
            left.next();
        }
    }
    merged.extend(left);
    merged.extend(right);
    v.copy_from_slice(&merged);
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inversions_are_counted() {
        assert_eq!(inversions(&mut [1.0, 2.0, 3.0]), 0);
        assert_eq!(inversions(&mut [3.0, 2.0, 1.0]), 3);
        assert_eq!(inversions(&mut [2.0, 1.0, 1.0]), 2);
    }

    #[test]
    fn a_crossed_pair_is_uncrossed() {
        // Column 0: a(0) b(1); column 1: c(2) d(3); edges a-d and b-c cross.
        let mut columns = vec![vec![0, 1], vec![2, 3]];
        let column_of = [0, 0, 1, 1];
        let edges = [(0, 3), (1, 2)];
        assert_eq!(crossings(&columns, &edges, &column_of), 1);
        order(&mut columns, &edges, &column_of);
        assert_eq!(crossings(&columns, &edges, &column_of), 0);
    }

    #[test]
    fn edges_that_skip_a_column_are_ordered_too() {
        // Column 0: a b; column 1: (nothing linked); column 2: c d with a-d, b-c.
        let mut columns = vec![vec![0, 1], vec![4], vec![2, 3]];
        let column_of = [0, 0, 2, 2, 1];
        let edges = [(0, 3), (1, 2)];
        order(&mut columns, &edges, &column_of);
        assert_eq!(crossings(&columns, &edges, &column_of), 0);
    }
}
