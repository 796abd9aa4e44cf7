//! A multinomial logistic regression (softmax) over sparse TF-IDF vectors, trained by
//! stochastic gradient descent in a fixed, seeded order: the same examples always give
//! the same model. Training a few thousand examples takes milliseconds (release build);
//! scoring a message is one sparse pass over the weights (microseconds).

use super::features::Sparse;

/// Passes over the examples.
const EPOCHS: usize = 5;
/// First learning rate; it decays as `RATE / (1 + epoch * DECAY)`.
const RATE: f32 = 1.0;
const DECAY: f32 = 0.15;
/// A gradient this small leaves a class's weights as they are.
const NEGLIGIBLE: f32 = 1e-3;
/// Weight decay per epoch (L2 regularisation, applied lazily once per pass).
const SHRINK: f32 = 0.0005;

/// The trained weights.
#[derive(Debug, Clone)]
pub struct Softmax {
    classes: usize,
    /// Feature-major: `weights[feature * classes + class]`.
    weights: Vec<f32>,
    bias: Vec<f32>,
}

impl Softmax {
    /// Trains on `examples` (vector, class); `features` is the vocabulary's size.
    #[must_use]
    pub fn train(examples: &[(Sparse, usize)], features: usize, classes: usize) -> Self {
        let mut me = Self {
            classes,
            weights: vec![0.0; features * classes],
            bias: vec![0.0; classes],
        };
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut probs = vec![0.0; classes];
        for epoch in 0..EPOCHS {
            shuffle(&mut order, &mut seed);
            let rate = RATE / (1.0 + epoch as f32 * DECAY);
            for &i in &order {
                let (x, y) = &examples[i];
                me.probabilities(x, &mut probs);
                probs[*y] -= 1.0;
                for (c, g) in probs.iter().enumerate() {
                    me.bias[c] -= rate * g * 0.1;
                }
                // Classes the example barely moves are skipped: most, once trained.
                let moved: Vec<(usize, f32)> = probs
                    .iter()
                    .enumerate()
                    .filter(|(_, g)| g.abs() > NEGLIGIBLE)
                    .map(|(c, g)| (c, rate * g))
                    .collect();
                for &(f, v) in x {
                    let row = &mut me.weights[f as usize * classes..(f as usize + 1) * classes];
                    for &(c, step) in &moved {
                        row[c] -= step * v;
                    }
                }
            }
            let keep = 1.0 - SHRINK * rate;
            me.weights.iter_mut().for_each(|w| *w *= keep);
        }
        me
    }

    /// The probability of every class for `x`, into `out` (length: the classes).
    pub fn probabilities(&self, x: &Sparse, out: &mut [f32]) {
        out.copy_from_slice(&self.bias);
        for &(f, v) in x {
            let row = &self.weights[f as usize * self.classes..(f as usize + 1) * self.classes];
            for (o, w) in out.iter_mut().zip(row) {
                *o += w * v;
            }
        }
        let max = out.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let mut sum = 0.0;
        for o in out.iter_mut() {
            *o = (*o - max).exp();
            sum += *o;
        }
        if sum > 0.0 {
            out.iter_mut().for_each(|o| *o /= sum);
        }
    }

    /// How many classes the model tells apart.
    #[must_use]
    pub const fn classes(&self) -> usize {
        self.classes
    }
}

/// Fisher–Yates with a small xorshift generator: deterministic, no clock, no IO.
fn shuffle(order: &mut [usize], seed: &mut u64) {
    for i in (1..order.len()).rev() {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        let j = (*seed % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_to_separate_two_classes() {
        let examples = vec![
            (vec![(0, 1.0)], 0),
            (vec![(1, 1.0)], 1),
            (vec![(0, 0.7), (2, 0.7)], 0),
            (vec![(1, 0.7), (2, 0.7)], 1),
        ];
        let m = Softmax::train(&examples, 3, 2);
        let mut p = vec![0.0; 2];
        m.probabilities(&vec![(0, 1.0)], &mut p);
        assert!(p[0] > 0.8, "{p:?}");
        m.probabilities(&vec![(1, 0.6), (2, 0.8)], &mut p);
        assert!(p[1] > 0.6, "{p:?}");
    }
}
