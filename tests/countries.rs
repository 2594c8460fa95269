use std::collections::HashSet;

use mdime::domain::{CountryTable, NameMatch, Region, Status};

fn iso3(name: &str) -> String {
    CountryTable::builtin().country(name).unwrap_or_else(|| panic!("`{name}` does not resolve")).iso3.clone()
}

#[test]
fn the_table_is_well_formed() {
    let table = CountryTable::builtin();
    let codes: HashSet<&str> = table.countries().iter().map(|c| c.iso3.as_str()).collect();
    assert_eq!(codes.len(), table.countries().len(), "ISO-3 codes are unique");
    assert!(table.countries().iter().all(|c| c.iso3.len() == 3 && c.iso3.chars().all(|ch| ch.is_ascii_uppercase())));
    let states = table.countries().iter().filter(|c| c.status == Status::State).count();
    assert!((190..=200).contains(&states), "{states} sovereign states");
}

#[test]
fn source_spellings_and_codes_resolve() {
    for (name, code) in [
        ("Cote d'Ivoire", "CIV"),
        ("Côte d’Ivoire", "CIV"),
        ("DR Congo", "COD"),
        ("Congo", "COG"),
        ("Turkiye", "TUR"),
        ("Türkiye", "TUR"),
        ("Egypt, Arab Rep. of", "EGY"),
        ("Russian Federation", "RUS"),
        ("  VIET   NAM ", "VNM"),
        ("710", "CHN"),
        ("365", "RUS"),
        ("PAK", "PAK"),
    ] {
        assert_eq!(iso3(name), code, "{name}");
    }
}

#[test]
fn historical_states_stay_apart() {
    let ussr = CountryTable::builtin().country("Soviet Union").unwrap();
    assert_eq!((ussr.iso3.as_str(), ussr.status), ("SUN", Status::Historical));
    assert_ne!(iso3("Soviet Union"), iso3("Russia"));
}

#[test]
fn non_countries_are_recognised_not_guessed() {
    let table = CountryTable::builtin();
    assert!(matches!(table.resolve("unknown supplier(s)"), Some(NameMatch::NonCountry(_))));
    assert!(matches!(table.resolve("World"), Some(NameMatch::NonCountry(_))));
    assert!(matches!(table.resolve("Houthi rebels (Yemen)*"), Some(NameMatch::NonCountry("non_state"))));
    assert!(table.resolve("Wakanda").is_none());
    assert_eq!(table.suggest("Pakistn").first().map(String::as_str), Some("Pakistan"));
}

#[test]
fn tracked_recipients_are_states_in_the_five_regions_less_the_benefactors() {
    let table = CountryTable::builtin();
    let benefactors = [
        mdime::domain::Benefactor { iso3: "CHN".into(), name: "China".into(), colour: [0, 0, 0] },
        mdime::domain::Benefactor { iso3: "RUS".into(), name: "Russia".into(), colour: [0, 0, 0] },
    ];
    let tracked = table.tracked_recipients(&benefactors);
    let codes: HashSet<&str> = tracked.iter().map(|c| c.iso3.as_str()).collect();
    for code in ["MLI", "BFA", "NER", "CAF", "SDN", "EGY", "DZA", "VEN", "PAK", "MMR", "IND", "VNM"] {
        assert!(codes.contains(code), "{code} is tracked");
    }
    for code in ["CHN", "RUS", "FRA", "UKR", "PRI", "SUN"] {
        assert!(!codes.contains(code), "{code} is not tracked");
    }
    assert!(tracked.iter().all(|c| c.region != Region::Other && c.status == Status::State));
}
