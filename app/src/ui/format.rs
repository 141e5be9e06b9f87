//! Display formatting, shared with the services: `domain::format`.

pub use crate::domain::format::*;
