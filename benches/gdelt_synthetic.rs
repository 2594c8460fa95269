//! Writes N synthetic GDELT 2.0 event records to standard output, for `benches/events.sh`: the export
//! layout (61 tab-separated columns, no header) with only the columns an import reads filled, so that a
//! hundred million records fit where the full width would not. Deterministic for a given N and FIRST_ID
//! (default 0). With a FIRST_ID, the ids start there, other records are drawn, and all of them fall on
//! the next day, 1 January 2021, in its 96 update slots: the next day's updates after a year's file.
//!
//! Each record is one day of 2020, actors drawn from the benefactors, the tracked recipients and other
//! countries in roughly GDELT's proportions, with a type (none, government, military, business, civilian)
//! and a CAMEO code from a mix of counted and uncounted acts; one update slot in 96 per day. About one
//! record in fifty is a candidate (a benefactor's state body facing a recipient's, on an act that counts).

use std::io::{BufWriter, Write};

const BENEFACTORS: [&str; 7] = ["CHN", "RUS", "USA", "FRA", "TUR", "IND", "ARE"];
const RECIPIENTS: [&str; 24] = [
    "PAK", "EGY", "NGA", "MLI", "SYR", "IRN", "IRQ", "SAU", "DZA", "VEN", "BRA", "MMR", "KHM", "VNM", "IDN", "ETH", "KEN", "AGO", "SDN", "CAF",
    "BFA", "NER", "LBY", "ZAF",
];
const OTHERS: [&str; 12] = ["GBR", "DEU", "JPN", "UKR", "CAN", "AUS", "ITA", "ESP", "POL", "KOR", "EUR", "AFR"];
const TYPES: [&str; 5] = ["", "GOV", "MIL", "BUS", "CVL"];
const CODES: [&str; 14] = ["042", "043", "040", "036", "062", "057", "072", "061", "190", "010", "051", "112", "020", "173"];
const NAMES: [&str; 4] = ["", "", "PRESIDENT", "XI JINPING"];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn country(&mut self) -> &'static str {
        match self.next() % 100 {
            0..=19 => self.pick(&BENEFACTORS),
            20..=54 => self.pick(&RECIPIENTS),
            55..=89 => self.pick(&OTHERS),
            _ => "",
        }
    }
}

fn main() {
    let usage = "usage: gdelt_synthetic N [FIRST_ID]";
    let n: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).expect(usage);
    let first: u64 = std::env::args().nth(2).map_or(0, |a| a.parse().expect(usage));
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ first);
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let days: Vec<String> = if first > 0 { vec!["20210101".to_string()] } else { (0..366u32)
        .map(|d| {
            let (mut month, mut day) = (1, d + 1);
            let lengths = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
            while day > lengths[month - 1] {
                day -= lengths[month - 1];
                month += 1;
            }
            format!("2020{month:02}{day:02}")
        })
        .collect() };
    let tabs = |out: &mut BufWriter<_>, k: usize| {
        for _ in 0..k {
            out.write_all(b"\t").unwrap();
        }
    };
    for i in 0..n {
        let day = &days[(i * days.len() as u64 / n.max(1)) as usize];
        let slot = i % 96;
        let (c1, c2) = (rng.country(), rng.country());
        let (t1, t2) = (rng.pick(&TYPES), rng.pick(&TYPES));
        let (name1, code) = (rng.pick(&NAMES), rng.pick(&CODES));
        let actor = |c: &str, t: &str| if c.is_empty() { t.to_string() } else { format!("{c}{t}") };
        // 0 GLOBALEVENTID, 1 SQLDATE, 2-4 empty, 5 Actor1Code, 6 Actor1Name, 7 Actor1CountryCode, 8-11 empty,
        // 12 Actor1Type1Code, 13-14 empty, 15 Actor2Code, 16 empty name, 17 country, 18-21, 22 type, 23-25,
        // 26 EventCode, 27-58 empty, 59 DATEADDED, 60 SOURCEURL empty.
        write!(out, "{}\t{day}", first + i).unwrap();
        tabs(&mut out, 4);
        write!(out, "{}\t{name1}\t{c1}", actor(c1, t1)).unwrap();
        tabs(&mut out, 5);
        out.write_all(t1.as_bytes()).unwrap();
        tabs(&mut out, 3);
        write!(out, "{}\t\t{c2}", actor(c2, t2)).unwrap();
        tabs(&mut out, 5);
        out.write_all(t2.as_bytes()).unwrap();
        tabs(&mut out, 4);
        out.write_all(code.as_bytes()).unwrap();
        tabs(&mut out, 33);
        writeln!(out, "{day}{:02}{:02}00\t", slot / 4, (slot % 4) * 15).unwrap();
    }
    out.flush().unwrap();
}
