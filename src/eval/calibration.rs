//! Expected calibration error (ECE): how far a confidence is from the share of turns it gets
//! right. The confidences are put into ten equal-width bins (0–0.1, …, 0.9–1); in each bin, the
//! mean confidence is compared with the share of turns that came out right; the gaps are
//! averaged, weighted by each bin's share of the turns. 0 means a confidence of 0.8 is right 80% of
//! the time; 0.2 means it is off by 20 points on average. Bounded memory: ten bins of counters.

const BINS: usize = 10;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Calibration {
    n: [u64; BINS],
    confidence: [f64; BINS],
    right: [u64; BINS],
}

impl Calibration {
    /// One prediction with `confidence` (clamped to 0..=1) that was `right` or not. A confidence
    /// that is not a number is ignored.
    pub fn add(&mut self, confidence: f64, right: bool) {
        if confidence.is_nan() {
            return;
        }
        let c = confidence.clamp(0.0, 1.0);
        // 1.0 belongs to the top bin.
        let b = ((c * BINS as f64) as usize).min(BINS - 1);
        self.n[b] += 1;
        self.confidence[b] += c;
        self.right[b] += u64::from(right);
    }

    /// The expected calibration error; `None` when nothing was added.
    pub fn error(&self) -> Option<f64> {
        let total: u64 = self.n.iter().sum();
        if total == 0 {
            return None;
        }
        // A bin's gap times its count is |sum of confidences − number right|.
        let sum: f64 = (0..BINS)
            .map(|b| (self.confidence[b] - self.right[b] as f64).abs())
            .sum();
        Some(sum / total as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn empty_has_no_error() {
        assert_eq!(Calibration::default().error(), None);
    }

    #[test]
    fn a_confidence_that_matches_its_hit_rate_has_no_error() {
        let mut c = Calibration::default();
        // 0.75 right 3 times in 4; 1.0 always right.
        for right in [true, true, true, false] {
            c.add(0.75, right);
        }
        c.add(1.0, true);
        assert!(close(c.error(), 0.0));
    }

    #[test]
    fn the_gaps_are_weighted_by_their_bins_share() {
        let mut c = Calibration::default();
        // Bin 0.9–1: mean 0.95, 1 right of 2 → gap 0.45, weight 2/4.
        c.add(0.9, true);
        c.add(1.0, false);
        // Bin 0.2–0.3: mean 0.2, 0 right of 2 → gap 0.2, weight 2/4.
        c.add(0.2, false);
        c.add(0.2, false);
        assert!(close(c.error(), 0.325));
        // Out-of-range confidences are clamped; NaN is ignored.
        let mut d = Calibration::default();
        d.add(1.7, false);
        d.add(f64::NAN, true);
        assert!(close(d.error(), 1.0));
    }
}
