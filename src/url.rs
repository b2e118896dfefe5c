//! Database URLs: parsing, normalisation and password redaction.
