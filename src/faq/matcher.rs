//! Pure matching of a trainer's message against the FAQ entries.
