//! Label placement: each label goes to the first free spot around its anchor, nearest first, so that labels
//! never overlap each other or the symbols placed before them; one that has to move away gets a leader line.

/// A rectangle, px.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// Whether the two overlap (touching does not count).
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    /// Whether `self` lies wholly inside `o`.
    pub fn inside(&self, o: &Rect) -> bool {
        self.x >= o.x
            && self.y >= o.y
            && self.x + self.w <= o.x + o.w
            && self.y + self.h <= o.y + o.h
    }

    /// The centre.
    pub fn centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }
}

/// Where a label went.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    /// Its box.
    pub rect: Rect,
    /// Whether it is away from its anchor (draw a leader line).
    pub leader: bool,
}

/// The space already taken on a picture.
#[derive(Clone, Debug)]
pub struct Layout {
    bounds: Rect,
    taken: Vec<Rect>,
}

impl Layout {
    /// An empty picture with these bounds.
    pub fn new(bounds: Rect) -> Layout {
        Layout {
            bounds,
            taken: Vec::new(),
        }
    }

    /// Marks `r` as taken (a symbol, a legend).
    pub fn block(&mut self, r: Rect) {
        self.taken.push(r);
    }

    /// Whether `r` is free and inside the picture.
    pub fn free(&self, r: &Rect) -> bool {
        r.inside(&self.bounds) && !self.taken.iter().any(|t| t.overlaps(r))
    }

    /// Finds a free spot for a `w` × `h` box around `anchor`, `gap` px clear of it: right, left, above, below
    /// and the corners, then the same farther out (with a leader line). Takes the spot; `None` when there is
    /// none within reach.
    pub fn place(&mut self, anchor: (f64, f64), w: f64, h: f64, gap: f64) -> Option<Placed> {
        let (ax, ay) = anchor;
        for (ring, far) in [
            (1.0, false),
            (2.5, true),
            (4.5, true),
            (7.0, true),
            (10.0, true),
        ] {
            let g = gap * ring;
            let candidates = [
                (ax + g, ay - h / 2.0),
                (ax - g - w, ay - h / 2.0),
                (ax - w / 2.0, ay - g - h),
                (ax - w / 2.0, ay + g),
                (ax + g * 0.7, ay - g * 0.7 - h),
                (ax + g * 0.7, ay + g * 0.7),
                (ax - g * 0.7 - w, ay - g * 0.7 - h),
                (ax - g * 0.7 - w, ay + g * 0.7),
            ];
            for (x, y) in candidates {
                let rect = Rect { x, y, w, h };
                if self.free(&rect) {
                    self.taken.push(rect);
                    return Some(Placed { rect, leader: far });
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crowded_labels_do_not_overlap() {
        let mut layout = Layout::new(Rect {
            x: 0.0,
            y: 0.0,
            w: 400.0,
            h: 300.0,
        });
        let mut placed = Vec::new();
        // Ten labels anchored within a few pixels of each other.
        for i in 0..10 {
            let anchor = (200.0 + f64::from(i), 150.0 + f64::from(i % 3));
            if let Some(p) = layout.place(anchor, 60.0, 12.0, 6.0) {
                placed.push(p);
            }
        }
        assert_eq!(placed.len(), 10);
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                assert!(!a.rect.overlaps(&b.rect), "{a:?} {b:?}");
            }
        }
        assert!(!placed[0].leader && placed[9].leader);
    }
}
