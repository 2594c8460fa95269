//! China's I1 from CANIS's list of PRC state media accounts (`datasets/state_media_accounts.csv`, a
//! snapshot of November 2023): the followers and accounts aimed at a recipient. A level in 2023, not a
//! series: nothing is projected from it, and it is used only when the window reaches 2023.
//!
//! An account focused on one state counts whole for it. An account focused on a group of states (MENA,
//! the African Union, la Francophonie…) counts for each member in equal shares, its followers too:
//! CGTN Arabic's followers are split among the twenty MENA states. The split keeps every follower
//! counted once, and says nothing of where followers live; follower counts are worldwide, not local
//! audiences. Accounts aimed at China itself or at the worldwide English-language audience count for no
//! recipient. The list covers China's state media everywhere: a recipient with no account aimed at it
//! is Unobserved.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;

use crate::indicators::{Indicators, PairValues, Period, Scope};
use crate::domain::Instrument;
use crate::error::Result;
use super::reader as state_media;

const FOLLOWERS: &str = "state_media_followers";
const ACCOUNTS: &str = "state_media_accounts";
const OWN_ACCOUNTS: &str = "state_media_own_accounts";

pub const INDICATORS: &[(Instrument, &str)] = &[(Instrument::I1, FOLLOWERS), (Instrument::I1, ACCOUNTS), (Instrument::I1, OWN_ACCOUNTS)];

/// What a recipient is attributed: followers, accounts (group accounts in shares), accounts of its own.
#[derive(Debug, Default, Clone, Copy)]
struct Attributed {
    followers: f64,
    accounts: f64,
    own_accounts: f64,
}

fn load(table: &Path) -> Result<BTreeMap<String, Attributed>> {
    let frame = crate::indicators::read_table(
        table,
        &["focus_iso3", "focus_states", "followers"],
        &[("focus_states", DataType::Float64), ("followers", DataType::Float64)],
    )?;
    let (members, states, followers) = (frame.column("focus_iso3")?.str()?, frame.column("focus_states")?.f64()?, frame.column("followers")?.f64()?);
    let mut attributed: BTreeMap<String, Attributed> = BTreeMap::new();
    for i in 0..frame.height() {
        let (Some(members), Some(states), Some(followers)) = (members.get(i), states.get(i), followers.get(i)) else { continue };
        for member in members.split(';').filter(|m| !m.is_empty()) {
            let share = attributed.entry(member.to_string()).or_default();
            share.followers += followers / states;
            share.accounts += 1.0 / states;
            share.own_accounts += f64::from(u8::from(states == 1.0));
        }
    }
    Ok(attributed)
}

pub fn compute(datasets: &Path, scope: &Scope) -> Result<Indicators> {
    let mut out = Indicators::default();
    let Some(china) = scope.benefactors.iter().find(|b| b.iso3 == state_media::BENEFACTOR) else { return Ok(out) };
    if !scope.window.contains(state_media::YEAR) {
        return Ok(out);
    }
    let Some((table, _)) = state_media::find_table(datasets)? else { return Ok(out) };
    let attributed = load(&table)?;
    let source = format!("{} ({})", state_media::SOURCE_LABEL, state_media::YEAR);
    let year = Period::Window(state_media::YEAR, state_media::YEAR);
    for recipient in scope.recipients {
        let a = attributed.get(&recipient.iso3).copied().unwrap_or_default();
        let mut pair = PairValues { out: &mut out, benefactor: &china.iso3, recipient: &recipient.iso3, source: &source };
        pair.push(Instrument::I1, FOLLOWERS, year, a.followers, "followers");
        pair.push(Instrument::I1, ACCOUNTS, year, a.accounts, "accounts");
        pair.push(Instrument::I1, OWN_ACCOUNTS, year, a.own_accounts, "accounts");
        pair.cover(Instrument::I1, state_media::YEAR, state_media::YEAR);
    }
    Ok(out)
}
