//! Groups of recipients with dated membership (regional and political organisations), so that a run can
//! compare the benefactors across a group as it stood on the assessment date.

/// A day, as `YYYY-MM-DD` compares.
pub type Day = (i32, u8, u8);

/// One spell of a member in a group: a membership (joining to leaving) or a suspension inside one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spell {
    pub member: String,
    pub suspended: bool,
    pub start: Day,
    /// The first day the spell no longer runs; None while it still does.
    pub end: Option<Day>,
    pub note: String,
    pub source_url: String,
}

impl Spell {
    fn covers(&self, day: Day) -> bool {
        self.start <= day && self.end.is_none_or(|end| day < end)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The short name a user types (`AES`, `ECOWAS`).
    pub code: String,
    pub name: String,
    pub spells: Vec<Spell>,
}

/// A member on a given day, and whether the group had suspended it then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub member: String,
    pub suspended: bool,
}

impl Group {
    /// The members on `day`, in ISO-3 order: a membership spell covers the day (leaving ends it), and a
    /// suspension spell covering it marks the member suspended.
    pub fn members_on(&self, day: Day) -> Vec<Membership> {
        let mut members: Vec<Membership> = self
            .spells
            .iter()
            .filter(|s| !s.suspended && s.covers(day))
            .map(|s| Membership {
                member: s.member.clone(),
                suspended: self.spells.iter().any(|t| t.suspended && t.member == s.member && t.covers(day)),
            })
            .collect();
        members.sort_by(|a, b| a.member.cmp(&b.member));
        members.dedup_by(|a, b| a.member == b.member);
        members
    }

    /// The first day any member joined, for messages about a group that did not exist yet.
    pub fn founded(&self) -> Option<Day> {
        self.spells.iter().filter(|s| !s.suspended).map(|s| s.start).min()
    }
}

/// A group as it stood on one day: what a run compares across.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupOn {
    pub code: String,
    pub name: String,
    pub day: Day,
    pub members: Vec<Membership>,
    /// The sources of the member rows in force that day.
    pub sources: Vec<String>,
}

impl Group {
    pub fn on(&self, day: Day) -> GroupOn {
        let members = self.members_on(day);
        let mut sources: Vec<String> = self
            .spells
            .iter()
            .filter(|s| s.covers(day) && members.iter().any(|m| m.member == s.member))
            .map(|s| s.source_url.clone())
            .collect();
        sources.sort();
        sources.dedup();
        GroupOn { code: self.code.clone(), name: self.name.clone(), day, members, sources }
    }
}
