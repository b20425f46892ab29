//! Article text: sentences drawn from a Zipf-weighted news vocabulary, with capitalised names,
//! places, numbers, years and quotes; ~1 keyboard-slip typo per 200 words and, in some articles,
//! a broken year ("2000" → "200") next to intact years. A `Core` is the article as its author
//! wrote it; the boilerplate around it is added by `render`.

use crate::rng::Rng;

/// Counts of the errors injected, for the manifest.
#[derive(Default, Clone, Copy)]
pub struct Injected {
    pub words: u64,
    pub typos: u64,
    pub broken_years: u64,
}

impl Injected {
    pub fn add(&mut self, o: &Injected) {
        self.words += o.words;
        self.typos += o.typos;
        self.broken_years += o.broken_years;
    }
}

/// The article as written: title, date, author, site and body paragraphs.
pub struct Core {
    pub title: String,
    pub date: (u32, u32, u32),
    pub author: String,
    pub site: usize,
    pub section: usize,
    pub paragraphs: Vec<String>,
    pub injected: Injected,
}

pub const FIRST: &[&str] = &[
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Daniel",
    "Karen",
    "Matthew",
    "Nancy",
    "Anthony",
    "Lisa",
    "Mark",
    "Emma",
    "Olivia",
    "Ahmed",
    "Mohammed",
    "Fatima",
    "Wei",
    "Li",
    "Hiroshi",
    "Yuki",
    "Carlos",
    "Sofia",
    "Lucas",
    "Ana",
    "Pierre",
    "Claire",
    "Hans",
    "Ingrid",
    "Sergei",
    "Olga",
    "Raj",
    "Priya",
    "Kwame",
    "Amara",
    "Andrew",
    "Rachel",
    "Paul",
    "Helen",
    "Peter",
    "Laura",
    "Kevin",
    "Anna",
    "Oleg",
    "Vladimir",
    "Denis",
    "Mikhail",
    "Yuri",
    "Kim",
    "Jong",
    "Emmanuel",
    "Angela",
    "Boris",
    "Keir",
    "Rishi",
];

pub const LAST: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Walker",
    "Hall",
    "Young",
    "Khan",
    "Patel",
    "Singh",
    "Nguyen",
    "Chen",
    "Wang",
    "Tanaka",
    "Sato",
    "Silva",
    "Santos",
    "Dubois",
    "Moreau",
    "Schmidt",
    "Weber",
    "Ivanov",
    "Petrov",
    "Lavrov",
    "Ushakov",
    "Belousov",
    "Okafor",
    "Mensah",
    "Kowalski",
    "Novak",
    "Rossi",
    "Bianchi",
    "Jensen",
    "Larsen",
    "Murphy",
    "O'Brien",
    "Kelly",
    "Fischer",
    "Becker",
    "Costa",
    "Haddad",
    "Cohen",
    "Levi",
    "Park",
    "Choi",
];

pub const PLACES: &[&str] = &[
    "London",
    "Paris",
    "Berlin",
    "Moscow",
    "Beijing",
    "Tokyo",
    "Washington",
    "New York",
    "Brussels",
    "Kyiv",
    "Seoul",
    "Pyongyang",
    "Delhi",
    "Mumbai",
    "Lagos",
    "Nairobi",
    "Cairo",
    "Istanbul",
    "Madrid",
    "Rome",
    "Warsaw",
    "Vienna",
    "Geneva",
    "Sydney",
    "Toronto",
    "Ottawa",
    "Mexico City",
    "Sao Paulo",
    "Buenos Aires",
    "Jakarta",
    "Manila",
    "Bangkok",
    "Hanoi",
    "Tehran",
    "Riyadh",
    "Dubai",
    "Johannesburg",
    "Lisbon",
    "Athens",
    "Stockholm",
    "Oslo",
    "Helsinki",
    "Dublin",
    "Edinburgh",
    "Chicago",
    "Los Angeles",
    "Texas",
    "California",
    "Ukraine",
    "Russia",
    "China",
    "France",
    "Germany",
    "Japan",
    "India",
    "Brazil",
    "Nigeria",
    "Kenya",
    "Egypt",
    "Turkey",
    "Spain",
    "Italy",
    "Poland",
    "Canada",
    "Mexico",
    "Australia",
    "the United States",
    "the European Union",
    "North Korea",
    "South Korea",
    "Britain",
];

pub const ORGS: &[&str] = &[
    "the Ministry of Defence",
    "the Kremlin",
    "the White House",
    "the United Nations",
    "NATO",
    "the European Commission",
    "the World Bank",
    "the International Monetary Fund",
    "the Federal Reserve",
    "the Bank of England",
    "Parliament",
    "the Senate",
    "the Supreme Court",
    "the Health Ministry",
    "the police",
    "the central bank",
    "the opposition party",
    "the World Health Organization",
    "the electoral commission",
    "the city council",
];

pub const ROLES: &[&str] = &[
    "a spokesperson for the ministry",
    "the prime minister",
    "the foreign minister",
    "a senior official",
    "the company's chief executive",
    "an analyst at the bank",
    "a professor of economics",
    "the mayor",
    "a local resident",
    "the party leader",
    "a government adviser",
    "the head of the agency",
    "a senior researcher",
    "the coach",
];

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const VERBS: &[&str] = &[
    "says",
    "warns",
    "signs",
    "rejects",
    "backs",
    "plans",
    "calls for",
    "faces",
    "wins",
    "announces",
    "denies",
    "approves",
    "delays",
    "launches",
    "cuts",
    "raises",
    "urges",
];

/// Month name (1-based).
pub fn month_name(m: u32) -> &'static str {
    MONTHS[(m as usize - 1) % 12]
}

/// A frequency-ranked vocabulary sampled with Zipf weights.
pub struct Lexicon {
    words: Vec<&'static str>,
    cdf: Vec<u64>,
}

impl Lexicon {
    /// Builds the lexicon from `bench/vocab.txt` (most frequent word first).
    pub fn new() -> Lexicon {
        let words: Vec<&'static str> = include_str!("../vocab.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect();
        let mut cdf = Vec::with_capacity(words.len());
        let mut total = 0u64;
        for rank in 0..words.len() {
            // Zipf with exponent ~1: the weight of rank r is 1/(r+2).
            total += (1e9 / (rank as f64 + 2.0)) as u64;
            cdf.push(total);
        }
        Lexicon { words, cdf }
    }

    /// A word drawn with Zipf frequencies.
    pub fn word(&self, rng: &mut Rng) -> &'static str {
        let total = *self.cdf.last().unwrap_or(&1);
        let x = rng.next_u64() % total;
        self.words[self
            .cdf
            .partition_point(|&c| c <= x)
            .min(self.words.len() - 1)]
    }

    /// A content word (rank ≥ 100: no function words), for titles and tags.
    pub fn content_word(&self, rng: &mut Rng) -> &'static str {
        let lo = 100.min(self.words.len() - 1);
        self.words[rng.range(lo, (lo + 1500).min(self.words.len() - 1))]
    }
}

/// Probability that an eligible word (≥ 4 letters, about half the words) gets a typo: ~1 in 200 words.
const TYPO_P: f64 = 0.01;

/// Keys next to each lowercase letter on a QWERTY keyboard.
fn neighbours(c: u8) -> &'static [u8] {
    match c {
        b'q' => b"wa",
        b'w' => b"qes",
        b'e' => b"wrd",
        b'r' => b"etf",
        b't' => b"ryg",
        b'y' => b"tuh",
        b'u' => b"yij",
        b'i' => b"uok",
        b'o' => b"ipl",
        b'p' => b"ol",
        b'a' => b"qsz",
        b's' => b"adwx",
        b'd' => b"sfec",
        b'f' => b"dgrv",
        b'g' => b"fhtb",
        b'h' => b"gjyn",
        b'j' => b"hkum",
        b'k' => b"jli",
        b'l' => b"ko",
        b'z' => b"xa",
        b'x' => b"zcs",
        b'c' => b"xvd",
        b'v' => b"cbf",
        b'b' => b"vng",
        b'n' => b"bmh",
        b'm' => b"nj",
        _ => b"e",
    }
}

/// Pushes `word` with one keyboard slip: a neighbouring key, a swap, a dropped or doubled letter.
fn push_typo(out: &mut String, word: &str, rng: &mut Rng) {
    let b = word.as_bytes();
    let i = rng.range(1, b.len() - 1);
    let mut w: Vec<u8> = b.to_vec();
    match rng.below(4) {
        0 => w[i] = rng.pick(neighbours(b[i])),
        1 => w.swap(i - 1, i),
        2 => {
            w.remove(i);
        }
        _ => w.insert(i, b[i]),
    }
    if w == b {
        w[i] = rng.pick(neighbours(b[i]));
    }
    out.push_str(std::str::from_utf8(&w).unwrap_or(word));
}

/// Writes articles' text.
pub struct Writer<'a> {
    pub lex: &'a Lexicon,
    pub injected: Injected,
}

impl Writer<'_> {
    fn push_word(&mut self, out: &mut String, rng: &mut Rng, capital: bool) {
        let w = self.lex.word(rng);
        self.injected.words += 1;
        if capital {
            let mut cs = w.chars();
            if let Some(c) = cs.next() {
                out.extend(c.to_uppercase());
                out.push_str(cs.as_str());
            }
        } else if w.len() >= 4 && rng.chance(TYPO_P) {
            self.injected.typos += 1;
            push_typo(out, w, rng);
        } else {
            out.push_str(w);
        }
    }

    fn push_name(&mut self, out: &mut String, rng: &mut Rng) {
        out.push_str(rng.pick(FIRST));
        out.push(' ');
        out.push_str(rng.pick(LAST));
        self.injected.words += 2;
    }

    fn push_number(&mut self, out: &mut String, rng: &mut Rng) {
        self.injected.words += 1;
        let n = rng.range(2, 999);
        match rng.below(6) {
            0 => out.push_str(&format!("{n}")),
            1 => out.push_str(&format!("{}.{} per cent", n % 20, n % 10)),
            2 => out.push_str(&format!("${}.{} million", n % 90 + 1, n % 10)),
            3 => out.push_str(&format!("{},{:03}", n % 50 + 1, n)),
            4 => out.push_str(&format!("{}%", n % 100)),
            _ => out.push_str(&format!("{} billion", n % 40 + 1)),
        }
    }

    /// One plain sentence of 6–26 words ending with a full stop (none when `open`).
    fn sentence_body(&mut self, out: &mut String, rng: &mut Rng, year: u32) {
        let n = rng.range(6, 26);
        for i in 0..n {
            if i > 0 {
                if i > 2 && i + 2 < n && rng.chance(0.07) {
                    out.push(',');
                }
                out.push(' ');
            }
            match rng.below(100) {
                0..=3 if i > 0 => self.push_name(out, rng),
                4..=5 if i > 0 => out.push_str(rng.pick(PLACES)),
                6 if i > 0 => self.push_number(out, rng),
                7 if i > 1 => {
                    out.push_str("in ");
                    out.push_str(&(year - rng.below(30) as u32).to_string());
                }
                8 if i > 0 => out.push_str(rng.pick(ORGS)),
                _ => self.push_word(out, rng, i == 0),
            }
        }
    }

    fn sentence(&mut self, out: &mut String, rng: &mut Rng, year: u32) {
        self.sentence_body(out, rng, year);
        out.push('.');
    }

    /// A quoted statement with its speaker.
    fn quote(&mut self, out: &mut String, rng: &mut Rng, year: u32) {
        let (open, close) = if rng.chance(0.8) {
            ("“", "”")
        } else {
            ("\"", "\"")
        };
        if rng.chance(0.5) {
            out.push_str(open);
            self.sentence_body(out, rng, year);
            out.push(',');
            out.push_str(close);
            out.push(' ');
            self.push_name(out, rng);
            out.push_str(", ");
            out.push_str(rng.pick(ROLES));
            out.push_str(", said.");
        } else {
            self.push_name(out, rng);
            out.push_str(" said: ");
            out.push_str(open);
            self.sentence(out, rng, year);
            out.push_str(close);
        }
    }

    /// A sentence listing years, one of them broken by a dropped last digit.
    fn broken_year_sentence(&mut self, out: &mut String, rng: &mut Rng, year: u32) {
        let mut ys = [0u32; 3];
        for y in ys.iter_mut() {
            *y = 1950 + rng.below((year - 1950) as usize) as u32;
        }
        if rng.chance(0.5) {
            ys[rng.below(3)] = 2000;
        }
        ys.sort_unstable();
        let broken = rng.below(3);
        let show = |k: usize| -> String {
            if k == broken {
                (ys[k] / 10).to_string()
            } else {
                ys[k].to_string()
            }
        };
        self.injected.broken_years += 1;
        self.injected.words += 12;
        match rng.below(3) {
            0 => out.push_str(&format!(
                "The new agreement will replace the documents signed in {}, {} and {}.",
                show(0),
                show(1),
                show(2)
            )),
            1 => out.push_str(&format!(
                "{} hosted the summit in {} and again in {}, and last did so in {}.",
                rng.pick(PLACES),
                show(0),
                show(1),
                show(2)
            )),
            _ => out.push_str(&format!(
                "Figures for {}, {} and {} show the same pattern, {} said.",
                show(0),
                show(1),
                show(2),
                rng.pick(ORGS)
            )),
        }
    }

    /// A paragraph of 1–5 sentences.
    pub fn paragraph(&mut self, rng: &mut Rng, year: u32) -> String {
        let mut p = String::with_capacity(600);
        let n = rng.range(1, 5);
        for i in 0..n {
            if i > 0 {
                p.push(' ');
            }
            if rng.chance(0.12) {
                self.quote(&mut p, rng, year);
            } else {
                self.sentence(&mut p, rng, year);
            }
        }
        p
    }

    /// A headline in sentence case.
    pub fn title(&mut self, rng: &mut Rng) -> String {
        let mut t = String::with_capacity(80);
        if rng.chance(0.5) {
            self.push_name(&mut t, rng);
        } else {
            t.push_str(rng.pick(PLACES));
        }
        t.push(' ');
        t.push_str(rng.pick(VERBS));
        for _ in 0..rng.range(3, 8) {
            t.push(' ');
            if rng.chance(0.15) {
                t.push_str(rng.pick(PLACES));
            } else {
                t.push_str(self.lex.content_word(rng));
            }
        }
        t
    }

    /// The article behind the document keyed `key`.
    pub fn core(&mut self, seed: u64, key: u64, sites: usize) -> Core {
        self.injected = Injected::default();
        let mut rng = Rng::derive(seed, key, 1);
        let year = 2015 + rng.below(11) as u32;
        let date = (year, rng.range(1, 12) as u32, rng.range(1, 28) as u32);
        let title = self.title(&mut rng);
        let mut author = String::new();
        self.push_name(&mut author, &mut rng);
        let n = rng.range(3, 14);
        let mut paragraphs: Vec<String> = (0..n).map(|_| self.paragraph(&mut rng, year)).collect();
        if rng.chance(0.2) {
            let p = rng.below(n);
            paragraphs[p].push(' ');
            self.broken_year_sentence(&mut paragraphs[p], &mut rng, year);
        }
        let injected = std::mem::take(&mut self.injected);
        Core {
            title,
            date,
            author,
            site: rng.below(sites),
            section: rng.below(crate::render::SECTIONS.len()),
            paragraphs,
            injected,
        }
    }
}
