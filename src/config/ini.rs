//! ConfigParser-compatible ini reading with BasicInterpolation.
