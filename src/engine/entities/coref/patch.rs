//! Patching the previous grouping when the only candidates that changed are organisation
//! names, or candidates that rule 1 drops (see [`patch`]).

use std::ops::Range;

use super::{
    Candidate, Config, Entity, EntityKind, Mention, MentionForm, Moved, Placed, Remembered,
    TextRange, acronym_like, admit, carry, initials, lower_word_hash, org_key, word_hash,
};
use crate::engine::CachedBlock;

/// Where [`patch`] starts from: every candidate of the changed paragraphs is the same as
/// before, moved with its bytes, or in a [`Stretch`] of candidates that changed.
pub(super) struct Patch {
    /// Where the mentions of the candidates that stayed moved (as for
    /// [`Outcome::Carried`](super::Outcome::Carried)).
    pub(super) moves: Vec<Moved>,
    /// The candidates that changed, in order.
    pub(super) stretches: Vec<Stretch>,
    /// (block, paragraph of the block) of every paragraph of the blocks that changed.
    pub(super) changed: Vec<(usize, usize)>,
    /// The words whose answers changed: capitalised mid-sentence somewhere in the story, or
    /// written in lower case somewhere, where they were not before, or the other way round
    /// (sorted).
    pub(super) flipped: Vec<u64>,
}

/// Candidates `old` of a paragraph (`para` of block `block`) in the previous version became
/// candidates `new` of the paragraph now: the candidates before and after them stayed.
pub(super) struct Stretch {
    pub(super) block: usize,
    pub(super) para: usize,
    pub(super) old: Range<usize>,
    pub(super) new: Range<usize>,
}

/// A candidate that rule 4 alone groups, by its name, with no effect on any other mention:
/// an organisation's name as written (no gazetteer name, no sheet entry), sure of its capitals.
/// [`patch`] checks the rest: a name of several words (a lone word may be a person's), and a
/// key that reads as no acronym, spells the initials of none, and names no sheet entry.
pub(super) fn inert(c: &Candidate) -> bool {
    c.kind == Some(EntityKind::Organization)
        && c.form == MentionForm::Name
        && c.canonical.is_none()
        && c.sheet.is_none()
        && c.unsure.is_none()
        && !c.guessed
}

/// [`inert`]'s checks of an organisation's key.
fn inert_key(key: &str, config: &Config, acronyms: &[u64]) -> bool {
    !acronym_like(key)
        && !acronyms.contains(&word_hash(&initials(key)))
        && !config
            .entities
            .iter()
            .any(|s| s.name == key || s.aliases.iter().any(|a| a == key))
}

/// Whether candidate `k` of `cands` starts after the one before it and before the one after
/// it.
fn in_order(cands: &[Candidate], k: usize) -> bool {
    let start = |j: usize| cands.get(j).map(|c| c.range.start);
    (k == 0 || start(k - 1) < start(k)) && start(k + 1).is_none_or(|next| start(k) < Some(next))
}

/// The entity and the index of the mention whose range is `range`, if any.
fn find_mention(entities: &[Entity], range: TextRange) -> Option<(usize, usize)> {
    entities.iter().enumerate().find_map(|(e, ent)| {
        let m = ent
            .mentions
            .binary_search_by_key(&range.start, |m| m.range.start)
            .ok()?;
        (ent.mentions[m].range == range).then_some((e, m))
    })
}

/// Patches the previous result into that of `blocks` (whose paragraphs are `paras`), when
/// the candidates that changed ([`Stretch`]es) are organisation names or candidates that rule
/// 1 drops (see [`Patch`]); returns false, with the entities perhaps half patched, if it
/// cannot prove the patched result is that of [`resolve_all`](super::resolve_all).
///
/// Why the result is [`resolve_all`](super::resolve_all)'s: a candidate that rule 1 drops
/// (no item: [`Remembered::silent`] says so of an old one, [`admit`] of a new one) is read by
/// nothing after rule 1. An inert candidate ([`inert`], with a key of several words that
/// [`inert_key`] passes) is an item whatever the word statistics say, rule 4 puts it in the
/// organisation of its key (creating it in its turn), and nothing else reads it: rules 2, 3
/// and 5 look only at people and at items of other kinds, the maps of rule 4 (`cues`, `teams`,
/// `person_named`) at places and lone words, its `countries` at the countries of gazetteer
/// names (an inert candidate has none), and rule 3 joins a lone word to the organisation
/// of its key whoever created it. Creating an organisation earlier or later changes the order
/// of the entities being built, which only the acronyms read (the organisation of the lowest
/// index whose initials an acronym spells takes its mentions), and [`inert_key`] rules that
/// out. Each stretch has as many inert candidates before as after, in order between the
/// candidates around it, so every other item keeps its place in the list of items, and the
/// look-back windows of rules 3 and 5 see the same items. Each candidate that stayed is the
/// same item as before (the same bytes, and no answer it asks for changed: checked). The
/// paragraphs that did not change ask only about their own probes
/// ([`Remembered::local`](super::Remembered::local)), none of which changed its answer
/// (checked). So every mention keeps its entity, but for the organisation names: the old one
/// leaves the organisation of its key, the new one joins the organisation of its key, and the
/// entities are put in order of first mention again. The new candidates ask only about probes
/// of their paragraph (checked), so the result stays [`Remembered::local`].
pub(super) fn patch(
    prev: &mut Remembered,
    text: &str,
    blocks: &[CachedBlock],
    paras: &[Placed<'_>],
    config: &Config,
    p: &Patch,
) -> bool {
    use std::cell::Cell;
    let counts = &prev.stats.counts;
    let flipped = |h: u64| p.flipped.binary_search(&h).is_ok();
    // No paragraph that stayed asks about a word whose answer changed.
    for &h in &p.flipped {
        let Some(&n) = prev.stats.probes.get(&h) else {
            continue;
        };
        let changed = p
            .changed
            .iter()
            .filter(|&&(b, s)| {
                blocks[b].scans[s]
                    .entities
                    .probes()
                    .binary_search(&h)
                    .is_ok()
            })
            .count();
        if n as usize > changed {
            return false;
        }
    }
    // In the changed paragraphs, every candidate that stayed asks only about probes of its
    // paragraph, none of which changed its answer: it is the same item as before. Every new
    // candidate that is not inert asks only about probes of its paragraph, and is dropped.
    // (block, paragraph, candidate) of each new candidate that is dropped.
    let mut silent_new: Vec<(usize, usize, usize)> = Vec::new();
    for &(b, s) in &p.changed {
        let scan = &blocks[b].scans[s];
        let probes = scan.entities.probes();
        let ok = Cell::new(true);
        // Whether the answers may have changed (for a new candidate).
        let fresh = Cell::new(false);
        let ask = |h: u64| {
            if probes.binary_search(&h).is_err() || (!fresh.get() && flipped(h)) {
                ok.set(false);
            }
        };
        let lower = |h: u64| {
            ask(h);
            counts.get(&h).is_some_and(|c| c.1 > 0)
        };
        let cap = |h: u64| {
            ask(h);
            counts.get(&h).is_some_and(|c| c.0 > 0)
        };
        let at = blocks[b].range.start + scan.start_in_block;
        let cands = &scan.entities.cands;
        let is_new = |k: usize| {
            p.stretches
                .iter()
                .any(|t| (t.block, t.para) == (b, s) && t.new.contains(&k))
        };
        for (k, c) in cands.iter().enumerate() {
            if is_new(k) {
                if inert(c) {
                    continue;
                }
                fresh.set(true);
                if admit(text, c, at, 0, lower, cap).is_some() {
                    return false;
                }
                fresh.set(false);
                silent_new.push((b, s, k));
            } else if let Some(item) = admit(text, c, at, 0, lower, cap) {
                // Rule 3 asks about the name of an item of no kind, or of a lone word that
                // rule 4 may find is a person's.
                let raw = item.name.of(text);
                let lone = match item.kind {
                    None => item.form != MentionForm::Descriptor,
                    Some(EntityKind::Person) => false,
                    Some(_) => !raw.contains(' '),
                };
                if lone {
                    ask(lower_word_hash(raw));
                }
            }
            if !ok.get() {
                return false;
            }
        }
    }
    // The stretches: each old candidate dropped (and so known to [`Remembered::silent`]) or an
    // organisation name with its mention and its organisation, each new one dropped (checked
    // above) or an organisation name and its key.
    // The dropped candidates of each stretch's paragraph, as they will be.
    let mut silent_paras: Vec<(usize, Vec<(usize, usize)>)> = Vec::new();
    let mut removals: Vec<(usize, TextRange)> = Vec::new();
    let mut additions: Vec<(&str, Mention)> = Vec::new();
    for t in &p.stretches {
        let (old, new) = (&prev.blocks[t.block], &blocks[t.block]);
        let (so, sn) = (&old.scans[t.para], &new.scans[t.para]);
        let (co, cn) = (&so.entities.cands, &sn.entities.cands);
        let (Some(olds), Some(news)) = (co.get(t.old.clone()), cn.get(t.new.clone())) else {
            return false;
        };
        let named = |cs: &[Candidate]| cs.iter().filter(|c| inert(c)).count();
        if named(olds) != named(news) {
            return false;
        }
        // The names in their places among the candidates of their paragraph, as the items
        // are sorted (only the names are items).
        if named(olds) > 0
            && !(t.old.clone().all(|k| in_order(co, k)) && t.new.clone().all(|k| in_order(cn, k)))
        {
            return false;
        }
        // The paragraph's index among all paragraphs (the same before and after: the
        // blocks have as many paragraphs as before).
        let offset = new.range.start + sn.start_in_block;
        let Ok(pi) = paras.binary_search_by_key(&offset, |p| p.offset) else {
            return false;
        };
        if !std::ptr::eq(paras[pi].scan, sn) {
            return false;
        }
        // Its dropped candidates: the old ones of the stretch out, those after it renumbered,
        // the new ones in (after the paragraph's stretches before this one).
        let lo = prev.silent.partition_point(|&(q, _)| q < pi);
        let hi = prev.silent.partition_point(|&(q, _)| q <= pi);
        let before = match silent_paras.last_mut() {
            Some((q, d)) if *q == pi => std::mem::take(d),
            _ => prev.silent[lo..hi].to_vec(),
        };
        let mut dropped: Vec<(usize, usize)> = before
            .iter()
            .filter(|&&(_, k)| !t.old.contains(&k))
            .map(|&(q, k)| {
                if k >= t.old.end {
                    (q, k + t.new.len() - t.old.len())
                } else {
                    (q, k)
                }
            })
            .collect();
        dropped.extend(
            silent_new
                .iter()
                .filter(|&&(b, s, k)| (b, s) == (t.block, t.para) && t.new.contains(&k))
                .map(|&(_, _, k)| (pi, k)),
        );
        dropped.sort_unstable();
        let at = old.range.start + so.start_in_block;
        for (k, a) in t.old.clone().zip(olds) {
            if !inert(a) {
                // Dropped.
                if prev.silent[lo..hi].binary_search(&(pi, k)).is_err() {
                    return false;
                }
                continue;
            }
            let (range, name) = (a.range.shift(at), a.name.shift(at));
            let Some((e, m)) = find_mention(&prev.entities, range) else {
                return false;
            };
            let ent = &prev.entities[e];
            let key = ent.written.as_str();
            // The old name was of several words if its key is, or if "The " was cut off it.
            if ent.kind != EntityKind::Organization
                || ent.mentions[m].form != MentionForm::Name
                || ent.mentions[m].name != name
                || !(key.contains(' ') || name.len() != key.len())
                || !inert_key(key, config, &prev.acronyms)
            {
                return false;
            }
            removals.push((e, range));
        }
        let at = new.range.start + sn.start_in_block;
        for c in news.iter().filter(|c| inert(c)) {
            let (range, name) = (c.range.shift(at), c.name.shift(at));
            let Some(raw) = text.get(name.start..name.end) else {
                return false;
            };
            let key = org_key(raw);
            if !raw.contains(' ') || !inert_key(key, config, &prev.acronyms) {
                return false;
            }
            let form = MentionForm::Name;
            let modifier = c.modifier;
            additions.push((
                key,
                Mention {
                    range,
                    form,
                    name,
                    modifier,
                },
            ));
        }
        match silent_paras.last_mut() {
            Some((q, d)) if *q == pi => *d = dropped,
            _ => silent_paras.push((pi, dropped)),
        }
    }
    // Out with the old mentions and dropped candidates, the others moved, in with the new.
    let mut touched: Vec<usize> = Vec::with_capacity(removals.len() + additions.len());
    for (e, range) in removals {
        let ms = &mut prev.entities[e].mentions;
        let Ok(m) = ms.binary_search_by_key(&range.start, |m| m.range.start) else {
            return false;
        };
        ms.remove(m);
        touched.push(e);
    }
    for (pi, dropped) in silent_paras {
        let lo = prev.silent.partition_point(|&(q, _)| q < pi);
        let hi = prev.silent.partition_point(|&(q, _)| q <= pi);
        prev.silent.splice(lo..hi, dropped);
    }
    carry(prev, &p.moves, blocks);
    for (key, m) in additions {
        let org = prev
            .entities
            .iter()
            .position(|e| e.kind == EntityKind::Organization && e.written == key);
        match org {
            Some(e) => {
                let ms = &mut prev.entities[e].mentions;
                let at = ms.partition_point(|x| x.range.start < m.range.start);
                ms.insert(at, m);
                touched.push(e);
            }
            None => {
                prev.entities.push(Entity {
                    name: key.to_string(),
                    written: key.to_string(),
                    kind: EntityKind::Organization,
                    role: None,
                    mentions: vec![m],
                    introduced: 0,
                    quotes: Vec::new(),
                    sheet: None,
                });
                touched.push(prev.entities.len() - 1);
            }
        }
    }
    // The mention that introduces an organisation: its first name (a full name would need to
    // know whether it came with a role).
    for &e in &touched {
        let ms = &prev.entities[e].mentions;
        if ms.iter().any(|m| m.form == MentionForm::FullName) {
            return false;
        }
        prev.entities[e].introduced = ms
            .iter()
            .position(|m| m.form == MentionForm::Name)
            .unwrap_or(0);
    }
    if touched
        .iter()
        .any(|&e| prev.entities[e].mentions.is_empty())
    {
        prev.entities.retain(|e| !e.mentions.is_empty());
    }
    if !touched.is_empty() {
        // (Else every mention moved with the text, in order: so did the first ones.)
        prev.entities.sort_by_key(|e| e.mentions[0].range.start);
    }
    #[cfg(debug_assertions)]
    {
        let fresh = super::resolve_all(text, paras, config, None, true);
        assert!(
            // (Less the quotes the analysis attached to the kept entities.)
            prev.entities
                .iter()
                .map(|e| Entity {
                    quotes: Vec::new(),
                    ..e.clone()
                })
                .eq(fresh.entities),
            "a patched grouping is a fresh one"
        );
        assert_eq!(
            prev.silent, fresh.silent,
            "the dropped candidates are a fresh grouping's"
        );
        assert!(
            fresh.local,
            "a patched grouping asks only about local probes"
        );
    }
    #[cfg(not(debug_assertions))]
    let _ = paras;
    true
}
