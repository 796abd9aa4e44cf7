//! The dialogue as a pure step: `(state, input, context, now) -> (replies, effects,
//! state)`. Every transport calls the same step, so every channel behaves the same.

pub mod extract;
