//! A continuing-education entry as the trainer confirmed it, before it has a row id.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::units::{Area, Ceu, Provider};

/// A continuing-education entry ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEntry {
    pub completed_on: NaiveDate,
    pub amount: Ceu,
    pub area: Area,
    pub provider: Provider,
    pub title: Option<String>,
}
