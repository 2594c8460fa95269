//! The one integration-test binary (polars makes every extra binary expensive to link); modules group
//! the tests by feature.

mod common;

mod cli;
mod countries;
mod render;
mod rubric;
mod run;
mod sipri_import;
