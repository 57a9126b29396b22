//! What each kind and field of the data model is for, in a sentence: the one source for the
//! descriptions in `align schema`, the field reference in `docs/data-model.md` and editor
//! hovers. A test fails when a declared field has no description here.

use super::schema::Kind;

/// What an entity of this kind is, for people writing one.
pub(crate) fn kind_doc(kind: Kind) -> &'static str {
    match kind {
        Kind::Segment => "A group of customers the team sells to.",
        Kind::Need => "A job, pain or gain of a segment: what customers want done.",
        Kind::Evidence => {
            "Something customers said or did (an interview, survey, ticket, call, review, experiment or analytics), dated and sourced."
        }
        Kind::Feature => "Something the product does, with its status and measured facts.",
        Kind::Proposition => {
            "A value proposition: what the product promises a segment, which needs and features it rests on, and the evidence behind it."
        }
        Kind::Message => {
            "A piece of copy (web, email, ads, social, sales deck): its text, the proposition it voices and what backs its claims."
        }
        Kind::Claim => {
            "An entry of the claims library: the approved wording of a claim, what substantiates it, who signed it off and until when."
        }
    }
}

/// What a field is for, by kind and name; `None` for a field the model does not declare.
pub(crate) fn field_doc(kind: Kind, field: &str) -> Option<&'static str> {
    let common = match field {
        "id" => Some(
            "A unique id for this entity within its kind, such as `seg-smb-finance`; references use it.",
        ),
        "owner" => Some("Who keeps this entity up to date: a person or a team."),
        "tags" => Some("Free labels for grouping and for your own rules."),
        "ignore" => Some(
            "Suppressions: a list of `{rule, reason}`; each silences a rule (or a whole pack) for this entity, with the reason written down.",
        ),
        _ => None,
    };
    if common.is_some() {
        return common;
    }
    let doc = match (kind, field) {
        (Kind::Segment, "name") => "The segment's name, as the team says it.",
        (Kind::Segment, "description") => "Who these customers are, in a sentence or two.",
        (Kind::Segment, "size") => "How many customers there are, in words (`about 40,000 firms`).",
        (_, "name") => "A short name, for people; the `id` is what references use.",
        (Kind::Need, "statement") => "The need in the customer's words: what they want done.",
        (Kind::Need, "priority") => "How much the need matters: high, medium or low.",
        (Kind::Need, "kind") => "A job to be done, a pain, or a gain.",
        (Kind::Need, "segment") => "The segment that has this need.",
        (Kind::Evidence, "kind") => {
            "What kind of evidence this is; surveys, analytics and experiments measure, interviews and calls listen."
        }
        (Kind::Evidence, "date") => {
            "When it was gathered, YYYY-MM-DD; old evidence is reported as stale."
        }
        (Kind::Evidence, "summary") => "What it showed, in a sentence.",
        (Kind::Evidence, "quote") => "The customer's own words.",
        (Kind::Evidence, "sample_size") => "How many people or accounts it covers.",
        (Kind::Evidence, "sentiment") => "Whether it was positive, neutral or negative.",
        (Kind::Evidence, "source") => "Where it can be found: a document, a ticket, a recording.",
        (Kind::Evidence, "segment") => "The segment it is about.",
        (Kind::Evidence, "supports") => "The needs it supports.",
        (Kind::Evidence, "contradicts") => "The propositions it contradicts.",
        (Kind::Feature, "status") => {
            "Where the feature is: shipped, beta, planned or deprecated. Only shipped features can be sold without saying so."
        }
        (Kind::Feature, "facts") => {
            "What the feature measurably does, by name: `uptime_pct: 99.9`, or `{value: 48, better: lower, unit: hours}`. Numbers in messages are checked against these."
        }
        (Kind::Feature, "addresses") => "The needs the feature meets.",
        (Kind::Proposition, "statement") => "The promise, in a sentence.",
        (Kind::Proposition, "segment") => "The segment it is for.",
        (Kind::Proposition, "needs") => "The needs it promises to meet.",
        (Kind::Proposition, "features") => "The features that keep the promise.",
        (Kind::Proposition, "evidence") => "Evidence that customers want it.",
        (Kind::Message, "text") => {
            "The copy itself. Its claims are checked against the evidence and the features' facts."
        }
        (Kind::Message, "channel") => {
            "Where it runs: web, email, ads, social, sales-deck or your own."
        }
        (Kind::Message, "claims") => {
            "Claims made beside the text, each `{text, evidence, feature}`, for copy whose claims are backed one by one; `{claim: ID}` voices a claim of the library."
        }
        (Kind::Claim, "text") => {
            "The approved wording, as copy may use it; copy that says it in other words is checked for drift."
        }
        (Kind::Claim, "status") => {
            "draft (not yet signed off, the default), approved, or withdrawn (no longer to be used)."
        }
        (Kind::Claim, "approvals") => {
            "Who signed it off: a list of `{role, by, date}`, role one of product, legal, marketing, sales, compliance."
        }
        (Kind::Claim, "expires") => {
            "The last day the claim may run, YYYY-MM-DD; after it, copy using it is reported."
        }
        (Kind::Claim, "channels") => {
            "The channels it may run on (web, email, ...); none means every channel."
        }
        (Kind::Claim, "evidence") => "The evidence that substantiates it.",
        (Kind::Claim, "features") => "The features whose facts substantiate it.",
        (Kind::Claim, "proposition") => "The proposition it belongs to.",
        (Kind::Message, "proposition") => "The proposition the message voices.",
        (Kind::Message, "features") => "The features it talks about.",
        (Kind::Message, "evidence") => "Evidence that backs its claims.",
        (Kind::Message, "page") => {
            "For a page (a Markdown, MDX or HTML file read as a message): the page's path. Set by align, not written in YAML."
        }
        _ => return None,
    };
    Some(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_field_is_described() {
        for kind in Kind::ALL {
            for f in kind.fields() {
                assert!(
                    field_doc(kind, f.name).is_some(),
                    "{kind}.{} has no description",
                    f.name
                );
            }
        }
    }
}
