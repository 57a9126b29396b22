//! The concerns a finding raises, which the map colours and marks nodes by: a gap in the
//! evidence, a promise beyond what is backed, a poor fit between the pieces, or hygiene.

/// What kind of problem a finding is, as a marketing lead sorts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Concern {
    /// A message says more than the product or the evidence backs, or more than the claims
    /// library allows (`overpromise/*`, `claims/*`).
    Overpromise,
    /// Something rests on no customer evidence, or evidence contradicts it (`listening/*`).
    Evidence,
    /// The pieces do not fit: needs nothing addresses, features no one needs, messages that
    /// voice no proposition (`fit/*`, `voice/*`).
    Fit,
    /// The files themselves: duplicate ids, dangling references, unknown fields, stale
    /// evidence, suppressions, load problems, and team rules of other packs.
    Hygiene,
}

impl Concern {
    /// Every concern, most pressing first (the order of marks and of the legend).
    pub(crate) const ALL: [Concern; 4] = [
        Concern::Overpromise,
        Concern::Evidence,
        Concern::Fit,
        Concern::Hygiene,
    ];

    /// The concern of a rule, by its pack.
    pub fn of_rule(rule: &str) -> Concern {
        match rule.split('/').next().unwrap_or("") {
            "overpromise" | "claims" => Concern::Overpromise,
            "listening" => Concern::Evidence,
            "fit" | "voice" => Concern::Fit,
            _ => Concern::Hygiene,
        }
    }

    /// Its name in CSS classes and filters.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Concern::Overpromise => "overpromise",
            Concern::Evidence => "evidence",
            Concern::Fit => "fit",
            Concern::Hygiene => "hygiene",
        }
    }

    /// How the legend names it.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Concern::Overpromise => "overpromise",
            Concern::Evidence => "evidence gap",
            Concern::Fit => "fit",
            Concern::Hygiene => "hygiene",
        }
    }

    /// The letter on its mark, so concerns are told apart without colour.
    pub(crate) fn letter(self) -> char {
        match self {
            Concern::Overpromise => 'O',
            Concern::Evidence => 'E',
            Concern::Fit => 'F',
            Concern::Hygiene => 'H',
        }
    }

    /// Its colour (the same in every format).
    pub(crate) fn colour(self) -> &'static str {
        match self {
            Concern::Overpromise => "#c5221f",
            Concern::Evidence => "#8430ce",
            Concern::Fit => "#b06000",
            Concern::Hygiene => "#5f6368",
        }
    }

    /// Its light background colour.
    pub(crate) fn wash(self) -> &'static str {
        match self {
            Concern::Overpromise => "#fce8e6",
            Concern::Evidence => "#f3e8fd",
            Concern::Fit => "#fef7e0",
            Concern::Hygiene => "#f1f3f4",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_fall_into_concerns_by_pack() {
        assert_eq!(
            Concern::of_rule("overpromise/unshipped-feature"),
            Concern::Overpromise
        );
        assert_eq!(
            Concern::of_rule("listening/proposition-without-evidence"),
            Concern::Evidence
        );
        assert_eq!(
            Concern::of_rule("voice/message-without-proposition"),
            Concern::Fit
        );
        assert_eq!(Concern::of_rule("hygiene/duplicate-id"), Concern::Hygiene);
        assert_eq!(Concern::of_rule("acme/tone"), Concern::Hygiene);
        assert_eq!(Concern::of_rule("load/yaml"), Concern::Hygiene);
    }
}
