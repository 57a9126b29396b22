//! Every construct of the rule language, evaluated on a small model.
