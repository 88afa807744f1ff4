//! Sentences. Built on Unicode sentence boundaries (UAX #29, `unicode-segmentation`), then
//! repaired where news copy fools them: abbreviations ("Mr.", "U.S.", "Sept.", "Gen."), initials
//! ("John F. Kennedy") and "a.m."/"p.m." before a name do not end a sentence.

use unicode_segmentation::UnicodeSegmentation;

use super::text::TextRange;

/// Abbreviations that end with a period but rarely end a sentence (compared without the
/// period, case-sensitively).
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "Sr", "Jr", "St", "Sen", "Rep", "Gov", "Lt", "Gen",
    "Col", "Maj", "Capt", "Cmdr", "Sgt", "Adm", "Rev", "Hon", "Pres", "Supt", "Insp", "Det", "Amb",
    "Atty", "Messrs", "Mme", "Mlle", "Fr", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
    "Sept", "Oct", "Nov", "Dec", "Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat",
    "Sun", "No", "Nos", "Vol", "vs", "v", "etc", "approx", "Inc", "Corp", "Co", "Ltd", "Bros",
    "Ave", "Blvd", "Rd", "Mt", "Ft", "Calif", "Mass", "Conn", "Penn", "Fla", "Ga", "Ill", "Ind",
    "Mich", "Minn", "Wash", "Wis", "Ariz", "Colo", "Okla", "Ore", "Tenn", "Tex", "Va", "Ky", "La",
    "Md", "Mo", "Neb", "Nev", "Del", "Ala", "Ark", "Kan", "Miss", "Mont", "Vt", "Wyo", "e.g",
    "i.e", "U.S", "U.K", "U.N", "E.U", "D.C", "a.m", "p.m", "Ph.D", "cf", "al",
];

fn is_abbreviation(word: &str) -> bool {
    let w = word.trim_end_matches('.');
    if ABBREVIATIONS.contains(&w) {
        return true;
    }
    // Single capital initials ("F.") and dotted acronyms ("U.S.A.", "N.Y.").
    let mut chars = w.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_uppercase() => true,
        _ => {
            w.len() >= 3
                && w.split('.')
                    .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic))
        }
    }
}

/// The last word of a fragment that ends with a period, if it does.
fn last_word_before_period(frag: &str) -> Option<&str> {
    let t = frag.trim_end();
    if !t.ends_with('.') {
        return None;
    }
    let start = t
        .rfind(|c: char| c.is_whitespace() || "(“\"‘'[".contains(c))
        .map_or(0, |i| i + t[i..].chars().next().map_or(1, char::len_utf8));
    Some(&t[start..])
}

/// Sentence ranges of a paragraph, trimmed of surrounding whitespace, in order.
pub fn sentences(text: &str) -> Vec<TextRange> {
    let mut out: Vec<TextRange> = Vec::new();
    let mut pending: Option<(usize, usize)> = None;
    for (start, frag) in text.split_sentence_bound_indices() {
        let end = start + frag.len();
        let (s, _) = pending.unwrap_or((start, end));
        pending = Some((s, end));
        let merge = last_word_before_period(frag).is_some_and(|w| {
            is_abbreviation(w)
                // "at 3 p.m. The minister…" does end a sentence; "p.m." before a name rarely
                // starts one, so only keep merging when the next word is not a sentence opener.
                && !(matches!(w, "a.m." | "p.m." | "etc.") && next_starts_sentence(&text[end..]))
        });
        if !merge {
            push_trimmed(text, &mut out, s, end);
            pending = None;
        }
    }
    if let Some((s, e)) = pending {
        push_trimmed(text, &mut out, s, e);
    }
    out
}

fn next_starts_sentence(rest: &str) -> bool {
    let w = rest.split_whitespace().next().unwrap_or("");
    matches!(
        w,
        "The" | "A" | "An" | "It" | "He" | "She" | "They" | "We" | "I" | "In" | "But" | "This"
    )
}

fn push_trimmed(text: &str, out: &mut Vec<TextRange>, s: usize, e: usize) {
    let frag = &text[s..e];
    let lead = frag.len() - frag.trim_start().len();
    let t = frag.trim();
    if !t.is_empty() {
        out.push(TextRange::new(s + lead, s + lead + t.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| r.of(text)).collect()
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        assert_eq!(
            split(
                "Mr. Smith met Sen. Jones in the U.S. Capitol on Sept. 11. John F. Kennedy was there. It rained."
            ),
            vec![
                "Mr. Smith met Sen. Jones in the U.S. Capitol on Sept. 11.",
                "John F. Kennedy was there.",
                "It rained."
            ]
        );
    }

    #[test]
    fn quotes_stay_with_their_sentence() {
        assert_eq!(
            split(
                "“He’s an outcast now.” Since Friday, Putin has had a warrant. “We won,” she said."
            ),
            vec![
                "“He’s an outcast now.”",
                "Since Friday, Putin has had a warrant.",
                "“We won,” she said."
            ]
        );
    }

    #[test]
    fn time_of_day_before_a_new_sentence() {
        assert_eq!(
            split("They met at 3 p.m. The talks failed."),
            vec!["They met at 3 p.m.", "The talks failed."]
        );
        assert_eq!(split("Nothing here"), vec!["Nothing here"]);
        assert!(split("   ").is_empty());
    }
}
