//! The one integration-test binary (polars makes every extra binary expensive to link); modules group
//! the tests by feature.

mod common;

mod aiddata_unga;
mod atlas;
mod benefactors_groups;
mod browser;
mod alliances_exercises;
mod cli;
mod commodities;
mod contract;
mod corpus;
mod countries;
mod curated;
mod events;
mod event_parts;
mod evidence;
mod fbic;
mod fetch;
mod held_out;
mod outputs;
mod peacekeeping;
mod render;
mod rubric;
mod rules;
mod projections;
mod registry;
mod run;
mod sipri_import;
mod stats;
mod student_flows;
mod structured_sources;
mod trade_import;
