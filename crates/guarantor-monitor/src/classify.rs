//! Words in a report's text: what was hit (a category of the terms) and who acted (a party).
//!
//! Texts are read as sequences of words (letters and digits, lower case, in any script): a phrase matches whole
//! words in order, and a phrase ending in `*` matches any word that starts with its last word. The tables hold
//! English, and the Ukrainian and Russian words the sources use, in Cyrillic and in the transliterations found
//! in English texts (TETs for ТЕЦ, HES for ГЕС, naftobaza…).

use guarantor_core::{Category, Party};

/// A report's text as words: lower case, split at every character that is not a letter or a digit.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The words of `words` that `phrase` first matches, as they are written there (`substations` for
/// `substation*`).
pub fn matched(words: &[String], phrase: &str) -> Option<String> {
    find(words, phrase).map(|at| words[at].join(" "))
}

/// Where `phrase` first occurs in `words`: the words it spans.
pub fn find(words: &[String], phrase: &str) -> Option<std::ops::Range<usize>> {
    let parts: Vec<&str> = phrase
        .split(|c: char| !c.is_alphanumeric() && c != '*')
        .filter(|w| !w.is_empty())
        .collect();
    let matches = |word: &str, part: &str| match part.strip_suffix('*') {
        Some(prefix) => word.starts_with(prefix),
        None => word == part,
    };
    if parts.is_empty() || parts.len() > words.len() {
        return None;
    }
    (0..=words.len() - parts.len())
        .find(|&i| {
            parts
                .iter()
                .enumerate()
                .all(|(k, p)| matches(&words[i + k], p))
        })
        .map(|i| i..i + parts.len())
}

/// What each category of target is called, most specific first: the first category with a phrase in the text
/// is the one hit. The five energy categories of the 2025 moratorium come first (what the terms protect), then
/// ships and ports, then military objects (a strike on a tank in a village hit the tank), then civilian ones
/// (industrial plants and public offices among them: civilian objects unless used by forces).
#[rustfmt::skip]
pub const TARGET_WORDS: [(Category, &[&str]); 8] = [
    (Category::Nuclear, &["nuclear", "npp", "aes", "zaes", "аес", "аэс", "атомн*"]),
    (Category::Hydro, &[
        "dam", "dams", "hydroelectric", "hydro power", "hydropower", "hpp", "hes", "dniproges", "гес", "гэс",
        "дамб*", "гребл*",
    ]),
    (Category::Refineries, &["refinery", "refineries", "npz", "нпз", "нафтопереробн*", "нефтеперерабат*"]),
    (Category::OilGas, &[
        "oil depot", "fuel depot", "oil terminal", "fuel storage", "oil storage", "oil base", "fuel base",
        "oil tank*", "fuel tank*", "gas pipeline", "oil pipeline", "pipeline", "gas facility", "gas plant",
        "gas production", "gas storage", "compressor station", "pumping station", "naftobaza", "neftebaza",
        "нафтобаз*", "нефтебаз*", "газопровід*", "газопровод*",
    ]),
    (Category::Electricity, &[
        "power plant", "power station", "thermal plant", "thermal power*", "substation*", "power line*",
        "power grid", "transformer*", "electricity", "energy infrastructure", "energy facility", "chp", "tpp",
        "tets", "tes", "ukrenergo", "тец", "тэц", "тес", "тэс", "підстанц*", "подстанц*", "електростанц*",
        "электростанц*", "енергетичн*", "энергетическ*",
    ]),
    (Category::SeaTargets, &[
        "ship", "ships", "vessel", "vessels", "port", "seaport", "harbour", "harbor", "boat", "boats", "frigate",
        "corvette", "landing ship", "submarine", "tanker", "cargo ship", "grain terminal", "pier", "berth",
        "судно", "корабл*", "порт",
    ]),
    (Category::Military, &[
        "tank", "tanks", "btr", "bmp", "apc", "ifv", "armoured vehicle*", "armored vehicle*", "military vehicle*",
        "military equipment", "military base", "military unit", "positions", "position", "trenches", "troops",
        "soldiers", "ammunition depot", "ammo depot", "ammunition", "command post", "air base", "airbase",
        "airfield", "barracks", "howitzer", "convoy", "pontoon bridge", "radar", "s 300", "s 400", "buk",
        "helicopter", "warplane", "jet", "військов*", "военн*",
    ]),
    (Category::Civilian, &[
        "civilian*", "residential", "apartment*", "house", "houses", "home", "homes", "school*", "kindergarten",
        "hospital", "clinic", "maternity", "church", "cathedral", "mosque", "synagogue", "market", "shop",
        "shops", "store", "mall", "shopping", "supermarket", "university", "theatre", "theater", "museum",
        "playground", "park", "bus", "tram", "railway station", "train station", "humanitarian", "shelter",
        "cafe", "restaurant", "hotel", "bridge", "bridges", "railway*", "gymnasium", "lyceum", "college",
        "institute", "library", "stadium", "sports", "culture", "office", "post office", "police",
        "administration", "administrative", "factory", "factories", "enterprise", "warehouse*", "industrial",
        "житлов*", "жилой", "школ*", "лікарн*", "больниц*",
    ]),
];

/// The category the words of a text name (the first of [`TARGET_WORDS`] with a phrase in it), and the words
/// that matched.
pub fn target_in(words: &[String]) -> Option<(Category, String)> {
    TARGET_WORDS.iter().find_map(|(category, phrases)| {
        phrases
            .iter()
            .find_map(|p| matched(words, p))
            .map(|m| (*category, m))
    })
}

/// The words of a category found in a text (for saying what decided a category a source coded).
pub fn word_for(words: &[String], category: Category) -> Option<String> {
    TARGET_WORDS
        .iter()
        .find(|(c, _)| *c == category)
        .and_then(|(_, phrases)| phrases.iter().find_map(|p| matched(words, p)))
}

/// The names of each party's forces as sources write them: the state and the forces it commands or backs.
#[rustfmt::skip]
pub const PARTY_NAMES: [(Party, &[&str]); 2] = [
    (Party::Russia, &[
        "russia", "russian", "russians", "rf", "dpr", "lpr", "dnr", "lnr", "wagner", "kadyrov*", "novorossiya",
        "donetsk people s republic", "luhansk people s republic", "российск*", "росі*", "рф", "окупант*",
        "оккупант*",
    ]),
    (Party::Ukraine, &[
        "ukraine", "ukrainian", "ukrainians", "afu", "zsu", "apu", "azov", "українськ*", "зсу", "всу",
        "украинск*",
    ]),
];

/// Words after a party's name that make it the one acting: its forces, its weapons, its strikes.
#[rustfmt::skip]
const ACTING: [&str; 38] = [
    "forces", "force", "troops", "army", "military", "armed", "artillery", "shelling", "shelled", "shells",
    "missile", "missiles", "strike", "strikes", "struck", "airstrike", "airstrikes", "air", "drone", "drones",
    "attack", "attacks", "attacked", "rocket", "rockets", "bombs", "bombing", "bombed", "aviation", "aircraft",
    "jets", "mlrs", "units", "soldiers", "occupiers", "invaders", "fire", "fired",
];

/// Words just before a party's name that make it the one hit: `destroyed Russian tank`, `a strike on
/// Ukrainian positions`.
#[rustfmt::skip]
const HIT: [&str; 17] = [
    "destroyed", "destroying", "damaged", "hit", "hitting", "hits", "on", "at", "in", "against", "struck",
    "downed", "captured", "abandoned", "targeting", "targeted", "eliminated",
];

/// Nouns of attack that, before `of`, mark the party after as the one hit: `targeting of Russian forces`.
#[rustfmt::skip]
const STRUCK: [&str; 12] = [
    "targeting", "shelling", "destruction", "strike", "strikes", "attack", "attacks", "bombing", "bombardment",
    "shooting", "downing", "liberation",
];

/// Words after a party's name (when a word before marks it hit) that make it a military target: a
/// `destroyed Ukrainian` building is no evidence of who fired, a `destroyed Russian tank` is.
#[rustfmt::skip]
const FORCES: [&str; 36] = [
    "forces", "force", "troops", "army", "military", "positions", "position", "tank", "tanks", "convoy",
    "column", "vehicle", "vehicles", "equipment", "base", "bases", "ammunition", "depot", "helicopter",
    "helicopters", "aircraft", "jet", "jets", "ifv", "apc", "btr", "bmp", "soldiers", "units", "unit",
    "artillery", "warship", "ship", "fleet", "trenches", "howitzer",
];

/// Words before a party's name that make it the one acting: `by Russian forces`, `fired by the Russians`.
const BY: [&str; 2] = ["by", "from"];

/// Weapons only one party fields in this war, by their names in reports.
#[rustfmt::skip]
pub const WEAPONS: [(Party, &[&str]); 2] = [
    (Party::Russia, &[
        "shahed", "shaheds", "geran*", "iskander*", "kalibr", "kinzhal", "kh 101", "kh 22", "kh 59", "kh 555",
        "onyx", "oniks", "zircon", "tornado s", "kab", "kab 500", "fab", "fab 500", "fab 1500", "odab*",
        "lancet", "tos 1", "tos 1a", "solntsepyok",
    ]),
    (Party::Ukraine, &[
        "himars", "atacms", "storm shadow", "scalp", "neptune", "harpoon", "m777", "excalibur", "javelin",
        "bayraktar", "gmlrs", "caesar", "krab", "bohdana", "archer", "pzh 2000", "m142", "m270",
    ]),
];

/// Who acts, by a text's words: each party named as acting (its forces, weapons or strikes after its name, or
/// `by` before it) or as hit (`destroyed Russian tank`, `shelling of Russian positions`: the other party
/// acted), with the words quoted.
pub fn actors_in(words: &[String]) -> Vec<(Party, String)> {
    let mut found = Vec::new();
    for (party, names) in PARTY_NAMES {
        for name in names {
            let mut from = 0;
            while let Some(span) = find(&words[from..], name) {
                let (at, len) = (span.start + from, span.len());
                let word = |back: usize| at.checked_sub(back).map(|i| words[i].as_str());
                // An article may stand between (`on the Russian`: the marking word is two back), and `of` after
                // a noun of attack marks the party hit as `on` does.
                let (prior, lead) = match word(1) {
                    Some("the" | "a" | "an") => (word(2), 2),
                    Some("of") if word(2).is_some_and(|w| STRUCK.contains(&w)) => (Some("on"), 2),
                    other => (other, 1),
                };
                let after = words.get(at + len).map(String::as_str);
                let marked = |list: &[&str]| prior.is_some_and(|w| list.contains(&w));
                let start = if marked(&HIT) || marked(&BY) {
                    at - lead
                } else {
                    at
                };
                let phrase = words[start..(at + len + 1).min(words.len())].join(" ");
                // `Russian artillery coming under fire`: the forces named are the ones hit.
                let under = words[(at + len).min(words.len())..(at + len + 3).min(words.len())]
                    .iter()
                    .any(|w| w == "under");
                let forces = after.is_some_and(|w| FORCES.contains(&w));
                if (marked(&HIT) || under) && forces {
                    let other = match party {
                        Party::Russia => Party::Ukraine,
                        Party::Ukraine => Party::Russia,
                    };
                    found.push((other, phrase));
                } else if marked(&BY)
                    || (!marked(&HIT) && after.is_some_and(|w| ACTING.contains(&w)))
                {
                    found.push((party, phrase));
                }
                from = at + 1;
            }
        }
    }
    found
}

/// The weapons a text names that only one party fields, with the name.
pub fn weapons_in(words: &[String]) -> Vec<(Party, &'static str)> {
    WEAPONS
        .iter()
        .flat_map(|(party, names)| {
            names
                .iter()
                .filter(|n| find(words, n).is_some())
                .map(move |n| (*party, *n))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(text: &str) -> Option<Category> {
        target_in(&words(text)).map(|(c, _)| c)
    }

    #[test]
    fn targets_are_read_as_whole_words() {
        assert_eq!(
            target("Damage to a residential building"),
            Some(Category::Civilian)
        );
        assert_eq!(
            target("The Kakhovka dam was blown up"),
            Some(Category::Hydro)
        );
        assert_eq!(
            target("Strike on the Kremenchuk HES"),
            Some(Category::Hydro)
        );
        assert_eq!(
            target("Fire at the Kharkiv TETs-5 after a missile strike"),
            Some(Category::Electricity)
        );
        assert_eq!(
            target("Удар по підстанції в Одесі"),
            Some(Category::Electricity)
        );
        assert_eq!(
            target("Smoke over the naftobaza in Kalynivka"),
            Some(Category::OilGas)
        );
        assert_eq!(target("A reportedly damaged transport hub"), None);
        assert_eq!(
            target("Destroyed Russian tank near a house"),
            Some(Category::Military)
        );
        assert_eq!(
            target("Landing ship hit in Berdyansk port"),
            Some(Category::SeaTargets)
        );
    }

    #[test]
    fn the_party_acting_is_told_from_the_party_hit() {
        let acting = |t: &str| {
            actors_in(&words(t))
                .into_iter()
                .map(|(p, _)| p)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            acting("Russian forces shelled Kharkiv"),
            vec![Party::Russia]
        );
        assert_eq!(
            acting("Ukrainian Javelin missile hitting a Russian tank"),
            vec![Party::Ukraine]
        );
        assert_eq!(acting("Destroyed Russian BTR"), vec![Party::Ukraine]);
        assert_eq!(
            acting("Drone strike on Ukrainian positions"),
            vec![Party::Russia]
        );
        assert_eq!(
            acting("A school damaged by Russian shelling"),
            vec![Party::Russia]
        );
        assert_eq!(acting("Residential buildings in Kyiv"), Vec::<Party>::new());
        assert_eq!(
            acting("Russian artillery coming under artillery fire"),
            vec![Party::Ukraine]
        );
        assert_eq!(
            acting("Explosion in a Ukrainian military storage site"),
            vec![Party::Russia]
        );
        assert_eq!(
            acting("Targeting of Russian forces in Roty"),
            vec![Party::Ukraine]
        );
        assert_eq!(
            acting("Destroyed Ukrainian Association of the Blind"),
            Vec::<Party>::new()
        );
        let quoted = actors_in(&words(
            "Precise hit on a Russian IFV by Ukrainian artillery",
        ));
        assert_eq!(
            quoted,
            vec![
                (Party::Ukraine, "on a russian ifv".to_owned()),
                (Party::Ukraine, "by ukrainian artillery".to_owned())
            ]
        );
        assert_eq!(
            weapons_in(&words("Shahed drones over Odesa")),
            vec![(Party::Russia, "shahed")]
        );
    }
}
