//! Paragraph stage of the entity engine: finds candidate mentions in one paragraph.
//!
//! Contract: looks only at the paragraph's prose mask (and the entity sheet in the config), and
//! returns paragraph-relative offsets, so its result can be cached by paragraph content. What
//! needs the whole story (whether a sentence-initial word is a name, which person a surname or
//! a descriptor stands for) is left to [`super::coref`].
//!
//! The scan is linear: one pass to split the paragraph into word tokens, one pass to group
//! capitalised tokens into runs, and a bounded amount of work per run (title prefixes,
//! gazetteer look-ups, organisation and place heads).

use std::hash::Hasher;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use super::gazetteer::{FastMap, FastSet, GAZETTEER, GazEntry, WordHasher, ascii_lower8};
use super::{Candidate, MentionForm, ParaEntities, RoleSig};
use crate::engine::config::EntityKind;
use crate::engine::paragraph::{ParaCtx, ParagraphKind};
use crate::engine::quotes::ParaQuotes;
use crate::engine::shared::SharedText;
use crate::engine::text::TextRange;

/// A word of the paragraph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Tok {
    start: usize,
    /// End of the word without a possessive `’s`.
    end: usize,
    possessive: bool,
    /// Starts with an upper-case letter (or is a lower-case particle joined to one, "al-Qaeda").
    cap: bool,
    /// Sentence-initial, after an opening quotation mark or colon, or in a headline: its capital
    /// says nothing about whether it is a name.
    initial: bool,
    /// Only spaces (at most one line break) separate it from the previous token.
    joined: bool,
    /// `cap`, and neither a calendar word nor all digits: it can be part of a name.
    name_word: bool,
    /// For a `cap` token, its word-list classes as written ([`classes`]); 0 otherwise.
    wl: u32,
}

/// The longest of [`DOTTED_SET`], in bytes.
const DOTTED_MAX: usize = 5;

/// Abbreviations that keep their final period inside the token, besides the states' (see
/// [`DOTTED_SET`]).
const DOTTED: &[&str] = &[
    "Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "Sen", "Sens", "Rep", "Reps", "Gov", "Gen", "Lt", "Col",
    "Capt", "Sgt", "Adm", "Rev", "Hon", "Jr", "Sr", "St", "Inc", "Corp", "Ltd", "Co", "Bros",
    "Cmdr", "Maj", "Supt", "Det", "Insp", "Amb", "Pres", "Del",
];

/// Dotted abbreviations of places, which are no initials before a surname ("Trenton, N.J.
/// Harmony …"): the US states and the District that AP writes so, and the unions of states.
const DOTTED_PLACES: &[&str] = &[
    "N.J.", "N.Y.", "N.H.", "N.M.", "N.C.", "N.D.", "S.C.", "S.D.", "R.I.", "D.C.", "U.S.", "U.K.",
    "E.U.", "U.N.", "P.R.",
];

/// Honorifics: a person follows, but they give no role.
const HONORIFICS: &[&str] = &[
    "Mr.", "Mrs.", "Ms.", "Mx.", "Dr.", "Mr", "Mrs", "Ms", "Dr", "Sir", "Dame", "Madam", "Mme",
    "Herr", "Frau",
];

/// Capitalised titles before a name, longest first where they share a first word. Each maps to
/// a title class used to match descriptors ("head of state" ~ "President").
const TITLES: &[(&str, &str)] = &[
    ("Vice President", "vice president"),
    ("President-elect", "leader"),
    ("President", "leader"),
    ("Prime Minister", "leader"),
    ("Premier", "leader"),
    ("Chancellor", "leader"),
    ("Crown Prince", "prince"),
    ("King", "leader"),
    ("Queen", "leader"),
    ("Emperor", "leader"),
    ("Prince", "prince"),
    ("Princess", "prince"),
    ("Pope", "pope"),
    ("Foreign Minister", "foreign minister"),
    ("Defence Minister", "defence minister"),
    ("Defense Minister", "defence minister"),
    ("Defense Secretary", "defence minister"),
    ("Foreign Secretary", "foreign minister"),
    ("Finance Minister", "finance minister"),
    ("Interior Minister", "interior minister"),
    ("Health Minister", "health minister"),
    ("Minister", "minister"),
    ("Secretary-General", "secretary general"),
    ("Secretary General", "secretary general"),
    // The US cabinet's titles with "of" ("Secretary of State John Kerry"; without them the
    // name ran on from "Secretary").
    ("Secretary of State", "foreign minister"),
    ("Secretary of Defense", "defence minister"),
    ("Secretary of the Treasury", "finance minister"),
    ("Secretary of Homeland Security", "interior minister"),
    ("Secretary of the Interior", "secretary"),
    ("Secretary of Labor", "secretary"),
    ("Secretary of Education", "secretary"),
    ("Secretary of Energy", "secretary"),
    ("Secretary of Commerce", "secretary"),
    ("Secretary of Agriculture", "secretary"),
    ("Secretary of Transportation", "secretary"),
    ("Secretary of Veterans Affairs", "secretary"),
    ("Secretary of the Army", "secretary"),
    ("Secretary of the Navy", "secretary"),
    ("Secretary of the Air Force", "secretary"),
    ("Secretary", "secretary"),
    ("Attorney General", "attorney general"),
    ("Chief Justice", "judge"),
    ("Chief of Staff", "chief of staff"),
    ("Director of National Intelligence", "director"),
    ("Chief Executive", "leader"),
    ("CEO", "leader"),
    ("Chairman", "leader"),
    ("Chairwoman", "leader"),
    ("Director", "director"),
    ("Senator", "senator"),
    ("Sen.", "senator"),
    // The plural before names joined by "and" ("Sens. Jon Tester and David Vitter"): a title
    // of the first name here.
    ("Sens.", "senator"),
    ("Representative", "representative"),
    ("Rep.", "representative"),
    ("Reps.", "representative"),
    // A delegate to the House ("Del. Stacey Plaskett"); after a city, Delaware.
    ("Del.", "representative"),
    ("Congressman", "representative"),
    ("Congresswoman", "representative"),
    ("Governor", "governor"),
    ("Gov.", "governor"),
    ("Mayor", "mayor"),
    ("Ambassador", "ambassador"),
    ("Speaker", "speaker"),
    ("General", "general"),
    ("Gen.", "general"),
    ("Admiral", "admiral"),
    ("Colonel", "officer"),
    ("Col.", "officer"),
    ("Captain", "officer"),
    ("Capt.", "officer"),
    ("Lieutenant", "officer"),
    ("Lt.", "officer"),
    ("Sergeant", "officer"),
    ("Sgt.", "officer"),
    ("Major", "officer"),
    ("Commander", "commander"),
    ("Judge", "judge"),
    ("Justice", "judge"),
    ("Professor", "professor"),
    ("Prof.", "professor"),
    ("Cardinal", "cleric"),
    ("Archbishop", "cleric"),
    ("Bishop", "cleric"),
    ("Rabbi", "cleric"),
    ("Imam", "cleric"),
    ("Reverend", "cleric"),
    ("Rev.", "cleric"),
    ("Father", "cleric"),
    ("Sheikh", "leader"),
    ("Detective", "officer"),
    ("Inspector", "officer"),
    ("Commissioner", "commissioner"),
    ("High Commissioner", "commissioner"),
    ("Home Secretary", "interior minister"),
    ("Administrator", "leader"),
    ("Spokesman", "spokesperson"),
    ("Spokeswoman", "spokesperson"),
    ("Spokesperson", "spokesperson"),
    ("Executive Director", "director"),
    ("Director-General", "leader"),
    ("Chief", "leader"),
    ("Coach", "coach"),
    // Local government and public services, the titles of most city-desk copy.
    ("Superintendent", "superintendent"),
    ("Treasurer", "treasurer"),
    ("Comptroller", "comptroller"),
    ("Sheriff", "sheriff"),
    ("Councilman", "council member"),
    ("Councilwoman", "council member"),
    ("Councilmember", "council member"),
    ("Councillor", "council member"),
    ("Councilor", "council member"),
    ("Alderman", "council member"),
    ("Alderwoman", "council member"),
    ("Assemblyman", "representative"),
    ("Assemblywoman", "representative"),
    ("Assemblymember", "representative"),
    ("Lord", "lord"),
    ("Lady", "lord"),
    // Legislatures' leaders ("Majority Leader Mitch McConnell", "Opposition Leader …").
    ("Majority Leader", "leader"),
    ("Minority Leader", "leader"),
    ("Majority Whip", "whip"),
    ("Minority Whip", "whip"),
    ("Leader", "leader"),
    ("Chair", "leader"),
    ("Chairperson", "leader"),
    ("Secretary-Treasurer", "treasurer"),
    ("Recorder", "recorder"),
    ("Attorney", "lawyer"),
    ("Adviser", "adviser"),
    ("Advisor", "adviser"),
    ("Senior Adviser", "adviser"),
    ("Editor", "editor"),
    // Occupations written before a name as titles ("Actor Clint Howard").
    ("Actor", "actor"),
    ("Actress", "actor"),
    ("Filmmaker", "filmmaker"),
    ("Journalist", "journalist"),
    ("Economist", "economist"),
];

/// Lower-case role phrases that make a descriptor ("the Chinese head of state") or an
/// appositive role ("…, head of the Munich Security Conference"), with their title class.
const ROLE_PHRASES: &[(&str, &str)] = &[
    ("head of state", "leader"),
    ("head of government", "leader"),
    ("vice president", "vice president"),
    ("prime minister", "leader"),
    ("foreign minister", "foreign minister"),
    ("defence minister", "defence minister"),
    ("defense minister", "defence minister"),
    ("finance minister", "finance minister"),
    ("interior minister", "interior minister"),
    ("chief executive", "leader"),
    ("secretary of state", "foreign minister"),
    ("chief of staff", "adviser"),
    ("secretary general", "secretary general"),
    ("secretary-general", "secretary general"),
    ("president", "leader"),
    ("leader", "leader"),
    ("chief", "leader"),
    ("head", "leader"),
    ("premier", "leader"),
    ("chancellor", "leader"),
    ("chairman", "leader"),
    ("chairwoman", "leader"),
    ("chair", "leader"),
    ("ceo", "leader"),
    ("boss", "leader"),
    ("king", "leader"),
    ("queen", "leader"),
    ("founder", "founder"),
    ("director", "director"),
    ("minister", "minister"),
    ("spokesman", "spokesperson"),
    ("spokeswoman", "spokesperson"),
    ("spokesperson", "spokesperson"),
    ("ambassador", "ambassador"),
    ("envoy", "ambassador"),
    ("mayor", "mayor"),
    ("governor", "governor"),
    ("senator", "senator"),
    ("commander", "commander"),
    ("general", "general"),
    ("pope", "pope"),
    ("professor", "professor"),
    ("coach", "coach"),
    ("manager", "manager"),
    ("editor", "editor"),
    ("secretary", "secretary"),
    ("press secretary", "spokesperson"),
    ("attorney general", "attorney general"),
    ("lawyer", "lawyer"),
    ("attorney", "lawyer"),
    ("counsel", "lawyer"),
    ("aide", "adviser"),
    ("adviser", "adviser"),
    ("advisor", "adviser"),
    ("strategist", "adviser"),
    ("pollster", "adviser"),
    ("consultant", "adviser"),
    ("economist", "economist"),
    ("analyst", "analyst"),
    ("researcher", "researcher"),
    ("historian", "researcher"),
    ("scholar", "researcher"),
    ("sociologist", "researcher"),
    ("psychologist", "researcher"),
    ("journalist", "journalist"),
    ("treasurer", "treasurer"),
    ("frontman", "musician"),
    ("singer", "musician"),
    ("musician", "musician"),
    ("actor", "actor"),
    ("actress", "actor"),
    ("comedian", "actor"),
    ("scientist", "researcher"),
    ("host", "journalist"),
    ("anchor", "journalist"),
    ("correspondent", "journalist"),
    ("columnist", "journalist"),
    ("reporter", "journalist"),
    ("co-founder", "founder"),
    ("cofounder", "founder"),
    ("nominee", "candidate"),
    ("candidate", "candidate"),
    ("delegate", "delegate"),
    ("organizer", "organizer"),
    ("organiser", "organizer"),
    ("activist", "activist"),
    ("ally", "adviser"),
    ("speechwriter", "adviser"),
    ("moderator", "journalist"),
    ("congressman", "representative"),
    ("congresswoman", "representative"),
    ("executive", "leader"),
    ("agent", "officer"),
    ("officer", "officer"),
    ("resident", "resident"),
    ("voter", "voter"),
    ("supporter", "supporter"),
    ("hopeful", "candidate"),
    ("contender", "candidate"),
    ("front-runner", "candidate"),
    ("frontrunner", "candidate"),
    ("challenger", "candidate"),
    ("rival", "candidate"),
    ("lawmaker", "representative"),
    ("legislator", "representative"),
    ("developer", "businessperson"),
    ("businessman", "businessperson"),
    ("businesswoman", "businessperson"),
    ("entrepreneur", "businessperson"),
    ("investor", "businessperson"),
    ("owner", "businessperson"),
    ("commentator", "journalist"),
    ("author", "writer"),
    ("writer", "writer"),
    ("teacher", "teacher"),
    ("physician", "doctor"),
    ("doctor", "doctor"),
    ("pastor", "cleric"),
    ("rabbi", "cleric"),
    ("imam", "cleric"),
    ("publisher", "editor"),
    ("surgeon", "doctor"),
    ("neurosurgeon", "doctor"),
    ("priest", "cleric"),
    ("constituent", "resident"),
    ("volunteer", "supporter"),
    ("staffer", "adviser"),
    ("worker", "worker"),
    ("retiree", "resident"),
    ("veteran", "veteran"),
];

/// Last words that make a capitalised run an organisation.
const ORG_HEADS: &[&str] = &[
    "Court",
    "Conference",
    "Ministry",
    "Party",
    "Inc.",
    "Inc",
    "Corp.",
    "Corp",
    "Ltd.",
    "Ltd",
    "LLC",
    "Co.",
    "University",
    "College",
    "School",
    "Academy",
    "Institute",
    "Institution",
    "Council",
    "Committee",
    "Commission",
    "Association",
    "Agency",
    "Department",
    "Bank",
    "Company",
    "Corporation",
    "Foundation",
    "Union",
    "Organization",
    "Organisation",
    "Army",
    "Navy",
    "Police",
    "Church",
    "Museum",
    "Hospital",
    "Club",
    "Group",
    "Society",
    "Parliament",
    "Congress",
    "Senate",
    "Assembly",
    "Federation",
    "League",
    "Times",
    "Post",
    "News",
    "Network",
    "Board",
    "Office",
    "Service",
    "Services",
    "Authority",
    "Administration",
    "Airlines",
    "Airways",
    "Fund",
    "Center",
    "Centre",
    // The last word of many companies' names.
    "Energy",
    "Holdings",
    "Industries",
    "Technologies",
    "Enterprises",
    "Partners",
    "Pharmaceuticals",
    "Insurance",
    "Utilities",
    "Communications",
    "Motors",
    "Team",
    "FC",
    "Press",
    "Herald",
    "Tribune",
    "Journal",
    "Gazette",
    "Magazine",
    "Studios",
    "Records",
    "Entertainment",
    "Systems",
    "Technologies",
    "Labs",
    "Laboratory",
    "Laboratories",
    "Industries",
    "Holdings",
    "Group",
    "Trust",
    "Alliance",
    "Coalition",
    "Front",
    "Movement",
    "Guard",
    "Forces",
    "Force",
    "Brigade",
    "Cabinet",
    "Government",
    "Bureau",
    "Institute",
    "Program",
    "Programme",
    "Project",
    "Initiative",
    "Orchestra",
    "Band",
    "Festival",
    "Exchange",
    "Council",
    "Tribunal",
    "Secretariat",
    "Directorate",
    "Diocese",
    "Mission",
    "Cooperative",
    "Consortium",
    "Partnership",
    "Associates",
    "Partners",
    "Publishing",
    "Publishers",
    "Broadcasting",
    "Television",
    "Radio",
    "Channel",
    "Library",
    "Observatory",
    "Zoo",
];

/// First words of places' names ("Port Hollis", "Mount Kenya", "Lake Placid").
const PLACE_LEADS: &[&str] = &["Port", "Fort", "Mount", "Mt.", "Lake", "Cape"];

/// Words that make a part of a place before its name: "Central Asia", "Eastern Ukraine",
/// "Southern California", "Greater Manchester" (a place only when the rest is a known place).
const REGION_LEADS: &[&str] = &[
    "North",
    "South",
    "East",
    "West",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Central",
    "Northeast",
    "Northwest",
    "Southeast",
    "Southwest",
    "Northeastern",
    "Northwestern",
    "Southeastern",
    "Southwestern",
    "Upper",
    "Lower",
    "Greater",
    "Inner",
    "Outer",
];

/// Last words that make a capitalised run a place.
const PLACE_HEADS: &[&str] = &[
    "Palace",
    "Street",
    "Square",
    "River",
    "Island",
    "Islands",
    "Mountain",
    "Mountains",
    "Mount",
    "Lake",
    "Park",
    "Airport",
    "Bridge",
    "Province",
    "County",
    "Valley",
    "Avenue",
    "Road",
    "Beach",
    "Coast",
    "Desert",
    "Ocean",
    "Sea",
    "Bay",
    "Strait",
    "Canal",
    "Peninsula",
    "Stadium",
    "Arena",
    "Tower",
    "Cathedral",
    "Building",
    "Station",
    "Prison",
    "Hall",
    "Castle",
    "Harbour",
    "Harbor",
    "Port",
    "City",
    "Town",
    "Village",
    "District",
    "Region",
    "State",
    "Republic",
    "Kingdom",
    "Territory",
    "Gulf",
    "Falls",
    "Hills",
    "Heights",
    "Forest",
    "Plaza",
    "Boulevard",
    "Lane",
    "Drive",
    "Highway",
    "Field",
    "Gardens",
    "Temple",
    "Mosque",
    "Memorial",
    "Monument",
    "Dam",
    "Reef",
    "Glacier",
    "Crater",
];

/// Words whose capital at the start of a sentence (or in a headline) says nothing: function
/// words and common sentence openers. They never start a name there.
const STOPWORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "our",
    "my",
    "your",
    "him",
    "them",
    "us",
    "me",
    "in",
    "on",
    "at",
    "by",
    "for",
    "from",
    "with",
    "without",
    "of",
    "to",
    "into",
    "onto",
    "over",
    "under",
    "after",
    "before",
    "during",
    "since",
    "until",
    "while",
    "when",
    "where",
    "why",
    "how",
    "what",
    "which",
    "who",
    "whom",
    "whose",
    "if",
    "unless",
    "although",
    "though",
    "because",
    "as",
    "but",
    "and",
    "or",
    "nor",
    "so",
    "yet",
    "also",
    "then",
    "thus",
    "however",
    "meanwhile",
    "moreover",
    "furthermore",
    "nevertheless",
    "still",
    "instead",
    "indeed",
    "according",
    "despite",
    "following",
    "among",
    "amid",
    "about",
    "above",
    "across",
    "against",
    "along",
    "around",
    "behind",
    "below",
    "beside",
    "besides",
    "between",
    "beyond",
    "both",
    "each",
    "every",
    "either",
    "neither",
    "all",
    "any",
    "some",
    "many",
    "much",
    "more",
    "most",
    "few",
    "several",
    "such",
    "no",
    "not",
    "now",
    "today",
    "yesterday",
    "tomorrow",
    "tonight",
    "recently",
    "earlier",
    "later",
    "last",
    "next",
    "first",
    "second",
    "third",
    "finally",
    "once",
    "only",
    "even",
    "just",
    "already",
    "again",
    "yes",
    "well",
    "oh",
    "so",
    "do",
    "does",
    "did",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "shall",
    "let",
    "other",
    "another",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "other",
    "others",
    "police",
    "officials",
    "some",
    "nobody",
    "everyone",
    "someone",
    "something",
    "nothing",
    "everything",
    "anyone",
    "many",
    "most",
    "through",
    "throughout",
    "via",
    "per",
    "upon",
    "within",
    "outside",
    "inside",
    "near",
    "like",
    "unlike",
    "whether",
    "whatever",
    "whoever",
    "perhaps",
    "maybe",
    "overall",
    "currently",
    "previously",
    // Words before a role, never a name: "Former Florida governor Jeb Bush said" at the
    // start of a sentence is no person "Former Florida".
    "former",
    "retired",
    "acting",
    "interim",
    "outgoing",
    "incoming",
    "longtime",
    "initially",
    "eventually",
    "ultimately",
    "additionally",
    "similarly",
    "likewise",
    "otherwise",
    "therefore",
    "hence",
    "accordingly",
    "consequently",
    "regardless",
    "although",
    "sources",
    "critics",
    "experts",
    "analysts",
    "residents",
    "witnesses",
    "local",
    "new",
    "old",
    "good",
    "great",
    "big",
    "small",
    "thank",
    "thanks",
    "please",
    "sure",
    "right",
    "ok",
    "okay",
    "well",
    "why",
    "hello",
    "hi",
    "dear",
    "mr",
    "mrs",
];

/// Days and months: capitalised, never names of entities.
const CALENDAR: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
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
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "Jun.",
    "Jul.",
    "Aug.",
    "Sep.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
    "I",
    "OK",
    "TV",
    "AM",
    "PM",
    "A.M.",
    "P.M.",
    "Q",
    "A",
    "Ms",
    "Mrs",
    "Mr",
    "Christmas",
    "Easter",
    "Ramadan",
    "God",
    "Internet",
    "English",
];

/// Last words of names of events, awards, laws and works, which are not entities here.
const EVENT_HEADS: &[&str] = &[
    "Cup",
    "Cups",
    "Games",
    "Olympics",
    "Paralympics",
    "Championship",
    "Championships",
    "Tournament",
    "War",
    "Wars",
    "Amendment",
    "Day",
    "Award",
    "Awards",
    "Prize",
    "Act",
    "Treaty",
    "Bill",
    "Accord",
    "Accords",
    "Convention",
    "Summit",
    "Election",
    "Elections",
    "Marathon",
    "Series",
    "Bowl",
    "Open",
    "Grand Prix",
    "Expo",
    "Week",
    "Month",
    "Year",
    "Era",
    "Age",
    "Revolution",
    "Crisis",
    "Agreement",
    "Protocol",
    "Doctrine",
    "Plan",
    "Law",
];

/// Words for members of a religion, party or group: singular, an adjective; plural, people.
const GROUP_WORDS: &[&str] = &[
    "Muslim",
    "Christian",
    "Jew",
    "Arab",
    "Catholic",
    "Protestant",
    "Hindu",
    "Buddhist",
    "Sikh",
    "Democrat",
    "Republican",
    "Libertarian",
    "Conservative",
    "Liberal",
    "Socialist",
    "Communist",
    "Islamist",
    "Soviet",
    "Western",
    "Eastern",
    "European",
    "Asian",
    "African",
    "Latino",
    "Hispanic",
    "Palestinian",
    "Israeli",
    "Kurd",
    "Shiite",
    "Sunni",
    "Mormon",
    "Evangelical",
    "Agnostic",
    "Atheist",
    "Green",
    "Tory",
    "Nazi",
];

/// Upper-case abbreviations of common nouns, not of organisations.
const COMMON_ACRONYMS: &[&str] = &[
    "DNA", "RNA", "IQ", "CD", "DVD", "TV", "PC", "XML", "HTML", "VIP", "POV", "CEO", "CFO", "GDP",
    "GNP", "HIV", "AIDS", "USB", "PDF", "ID", "OK", "AM", "PM", "FAQ", "URL", "IRC", "VR", "AI",
    "IT", "PR", "HQ", "UFO", "ATM", "GPS", "SMS", "RSS", "API", "CPU", "GPU", "RAM", "LED", "LCD",
    "BC", "AD", "DJ", "MVP", "NGO", "MP", "MPs", "PhD", "MA", "BA", "MD", "RPG", "MMO", "FPS",
    "CCTV", "SUV", "UN", "OS", "IP", "WWII", "WWI", "LGBT", "CO", "ROS", "POW", "IED", "ICU", "ER",
];

/// Name particles that may join the words of a person's name ("Ludwig van Beethoven").
const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "da", "di", "du", "del", "della", "dos", "das", "le", "la",
    "bin", "ibn", "al", "el", "ter",
];

/// The longest of [`PARTICLES`], in bytes.
const PARTICLE_MAX: usize = 5;

/// The first letters of [`PARTICLES`]: a word that starts otherwise starts with none.
const PARTICLE_FIRST: &[u8] = b"vdlbiaet";

/// First words that take an "of" phrase as part of an organisation or place name.
const OF_LEADS: &[&str] = &[
    "University",
    "Ministry",
    "Department",
    "Bank",
    "Institute",
    "Museum",
    "Council",
    "Court",
    "Church",
    "School",
    "College",
    "Academy",
    "Association",
    "Federation",
    "Union",
    "League",
    "Society",
    "Office",
    "Board",
    "Commission",
    "Committee",
    "Organization",
    "Organisation",
    "Party",
    "Republic",
    "Kingdom",
    "Gulf",
    "Bay",
    "Isle",
    "Sea",
    "State",
    "States",
    "City",
    "Province",
    "Federal",
    "House",
    "Chamber",
    "Center",
    "Centre",
    "Bureau",
    "Secretary",
    "Minister",
    "Governor",
    "Director",
    "Chief",
    "President",
    "Mayor",
    "Chairman",
    "Head",
    "Duke",
    "Prince",
    "Princess",
    "King",
    "Queen",
    "Archbishop",
    "Bishop",
    "Order",
    "Cathedral",
    "Palace",
    "Port",
    "Strait",
    "Straits",
    "Cape",
    "Lake",
    "Mount",
    "Tower",
    "Statue",
    "Museums",
    "Hall",
    "Supreme",
    "Journal",
    "Times",
    "Friends",
    "Sisters",
    "Brothers",
    "Daughters",
    "Sons",
    "Knights",
    "Medical",
    "National",
    "International",
    "European",
    "American",
    "British",
];

/// Words after a name that mark it as a person.
const PERSON_CUES: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "explained",
    "wrote",
    "writes",
    "argued",
    "asked",
    "noted",
    "stated",
    "believes",
    "thinks",
    "claimed",
    "claims",
    "who",
    "himself",
    "herself",
    "replied",
    "answered",
    "insisted",
    "warned",
    "admitted",
    "recalled",
    "tweeted",
    "continued",
    "concluded",
    "responded",
    "suggested",
    "died",
    "born",
];

/// Verbs after a country's name that make it a team.
const TEAM_VERBS: &[&str] = &[
    "beat",
    "beats",
    "defeated",
    "drew",
    "draw",
    "won",
    "lost",
    "scored",
    "qualified",
    "play",
    "plays",
    "played",
    "face",
    "faces",
    "faced",
    "vs",
    "versus",
    "thrashed",
    "edged",
    "advanced",
    "eliminated",
];

/// Words before a name that mark it as a place.
const PLACE_CUES: &[&str] = &[
    "in",
    "at",
    "from",
    "near",
    "to",
    "across",
    "throughout",
    "outside",
    "into",
    "towards",
    "toward",
    "visited",
    "visit",
];

/// Word-list classes, as bits: which of the fixed word lists a word is in, answered by one
/// look-up of the word (see [`CLASSES`]) instead of one per list.
mod wl {
    /// In lower case, a stopword (`STOPWORDS`).
    pub const STOP: u32 = 1;
    /// In lower case, the first word of a role phrase (`ROLE_PHRASES`).
    pub const ROLE_HEAD: u32 = 1 << 1;
    /// The classes that are looked up by the word in lower case; the others by the word as
    /// written.
    pub const LOWER: u32 = STOP | ROLE_HEAD;
    pub const ORG_HEAD: u32 = 1 << 2;
    pub const PLACE_HEAD: u32 = 1 << 3;
    pub const OF_LEAD: u32 = 1 << 4;
    pub const CALENDAR: u32 = 1 << 5;
    pub const EVENT_HEAD: u32 = 1 << 6;
    pub const GROUP: u32 = 1 << 7;
    pub const COMMON_ACRONYM: u32 = 1 << 8;
    pub const HONORIFIC: u32 = 1 << 9;
    pub const PERSON_CUE: u32 = 1 << 10;
    pub const TEAM_VERB: u32 = 1 << 11;
    pub const PLACE_CUE: u32 = 1 << 12;
    pub const PARTICLE: u32 = 1 << 13;
    /// The first word of a capitalised title (`TITLES`).
    pub const TITLE_HEAD: u32 = 1 << 14;
    /// The first word of a place's name ("Port Hollis", "Fort Worth").
    pub const PLACE_LEAD: u32 = 1 << 15;
    /// A word that makes a part of the place named after it ("Central Asia").
    pub const REGION_LEAD: u32 = 1 << 16;
}

/// The longest word a [`word_key`] holds, in bytes. Every word of the lists is shorter, except
/// a few role-phrase heads ("secretary-general"), which [`Scanner::role_phrase_at`] handles.
const KEY_MAX: usize = 15;

/// A word of at most [`KEY_MAX`] bytes as one number: its bytes, then its length in the last
/// byte (a hash of two machine words instead of a hash of a string).
fn word_key(w: &[u8]) -> Option<u128> {
    pack_key(w, false)
}

/// [`word_key`] of `w`, with ASCII letters in lower case if `lower`. Built a byte at a time:
/// a copy of a few bytes into a buffer would be a call to `memcpy`.
fn pack_key(w: &[u8], lower: bool) -> Option<u128> {
    if w.len() > KEY_MAX {
        return None;
    }
    // Two 64-bit halves: shifts of a `u128` cost several instructions each.
    let (mut lo, mut hi) = (0u64, (w.len() as u64) << 56);
    for (k, &b) in w.iter().enumerate() {
        let b = u64::from(if lower { b.to_ascii_lowercase() } else { b });
        if k < 8 {
            lo |= b << (8 * k);
        } else {
            hi |= b << (8 * (k - 8));
        }
    }
    Some(u128::from(hi) << 64 | u128::from(lo))
}

/// The `len` (at most [`KEY_MAX`]) bytes from `start` as two little-endian numbers, the bytes
/// after them masked off, read in two loads: only if the 16 bytes from `start` are there.
fn load_word(bytes: &[u8], start: usize, len: usize) -> Option<(u64, u64)> {
    if len > KEY_MAX {
        return None;
    }
    let chunk = bytes.get(start..start.checked_add(16)?)?;
    let (lo, hi) = chunk.split_at(8);
    let lo = u64::from_le_bytes(lo.try_into().ok()?);
    let hi = u64::from_le_bytes(hi.try_into().ok()?);
    // Little-endian: the word's first bytes are the low ones. `len` is at most 15, so no
    // shift below reaches 64.
    Some(if len >= 8 {
        (lo, hi & ((1u64 << (8 * (len - 8))) - 1))
    } else {
        (lo & ((1u64 << (8 * len)) - 1), 0)
    })
}

/// The [`word_key`] of a word given as [`load_word`] reads it.
fn join_key(lo: u64, hi: u64, len: usize) -> u128 {
    u128::from(hi | (len as u64) << 56) << 64 | u128::from(lo)
}

/// [`word_key`] of `bytes[start..end]`, read in two loads when it can be ([`load_word`]).
fn key_at(bytes: &[u8], start: usize, end: usize) -> Option<u128> {
    let len = end.checked_sub(start)?;
    match load_word(bytes, start, len) {
        Some((lo, hi)) => Some(join_key(lo, hi, len)),
        None => word_key(bytes.get(start..end)?),
    }
}

/// [`lower_classes`] of the word `text[start..end]`: an ASCII word is read in two loads and
/// lower-cased eight bytes at a time.
fn lower_classes_at(text: &str, start: usize, end: usize) -> u32 {
    let len = end.saturating_sub(start);
    if let Some((lo, hi)) = load_word(text.as_bytes(), start, len)
        && (lo | hi) & 0x8080_8080_8080_8080 == 0
    {
        return CLASSES.get(join_key(ascii_lower8(lo), ascii_lower8(hi), len)) & wl::LOWER;
    }
    text.get(start..end).map_or(0, lower_classes)
}

/// The word lists' classes: a map from [`word_key`], and a bit filter in front of it.
struct ClassTable {
    /// Every word of the fixed lists with its classes ([`wl`]).
    map: FxHashMap<u128, u32>,
    /// One bit per [`ClassTable::slot`]: set for the slots of the map's keys. Nearly every
    /// word of a story is in no list, and its clear bit says so without a look-up.
    filter: [u64; 128],
}

impl ClassTable {
    /// A key's bit in `filter` (the top 13 bits of a multiplicative hash).
    fn slot(k: u128) -> usize {
        let x = (k as u64) ^ ((k >> 64) as u64).rotate_left(29);
        (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 51) as usize
    }

    /// The classes of the word with key `k` (all of them, as written and lower-case).
    fn get(&self, k: u128) -> u32 {
        let slot = Self::slot(k);
        if self
            .filter
            .get(slot >> 6)
            .is_some_and(|w| w & 1 << (slot & 63) != 0)
        {
            self.map.get(&k).copied().unwrap_or(0)
        } else {
            0
        }
    }
}

/// The classes of the fixed word lists' words (see [`ClassTable`]).
static CLASSES: LazyLock<ClassTable> = LazyLock::new(|| {
    let map = class_map();
    let mut filter = [0u64; 128];
    for &k in map.keys() {
        let slot = ClassTable::slot(k);
        filter[slot >> 6] |= 1 << (slot & 63);
    }
    ClassTable { map, filter }
});

/// Every word of the fixed lists, keyed by [`word_key`], with its classes ([`wl`]).
fn class_map() -> FxHashMap<u128, u32> {
    let lists: [(&[&str], u32); 15] = [
        (STOPWORDS, wl::STOP),
        (ORG_HEADS, wl::ORG_HEAD),
        (PLACE_HEADS, wl::PLACE_HEAD),
        (PLACE_LEADS, wl::PLACE_LEAD),
        (REGION_LEADS, wl::REGION_LEAD),
        (OF_LEADS, wl::OF_LEAD),
        (CALENDAR, wl::CALENDAR),
        (EVENT_HEADS, wl::EVENT_HEAD),
        (GROUP_WORDS, wl::GROUP),
        (COMMON_ACRONYMS, wl::COMMON_ACRONYM),
        (HONORIFICS, wl::HONORIFIC),
        (PERSON_CUES, wl::PERSON_CUE),
        (TEAM_VERBS, wl::TEAM_VERB),
        (PLACE_CUES, wl::PLACE_CUE),
        (PARTICLES, wl::PARTICLE),
    ];
    let mut m = FxHashMap::default();
    for (list, bit) in lists {
        for w in list {
            if let Some(k) = word_key(w.as_bytes()) {
                *m.entry(k).or_insert(0) |= bit;
            }
        }
    }
    for (phrase, _) in ROLE_PHRASES {
        let head = phrase.split(' ').next().unwrap_or(phrase);
        if let Some(k) = word_key(head.as_bytes()) {
            *m.entry(k).or_insert(0) |= wl::ROLE_HEAD;
        }
    }
    for (title, _) in TITLES {
        let head = title.split(' ').next().unwrap_or(title);
        if let Some(k) = word_key(head.as_bytes()) {
            *m.entry(k).or_insert(0) |= wl::TITLE_HEAD;
        }
    }
    m
}

/// The classes of `w` as written (not [`wl::LOWER`]).
fn classes(w: &str) -> u32 {
    word_key(w.as_bytes()).map_or(0, |k| CLASSES.get(k) & !wl::LOWER)
}

/// Whether `name` names a group of people, not a person: a nationality ("American"), a
/// nationality or group word in the plural ("Americans", "Muslims", "Democrats"), a group
/// word's adjective ("Democratic"), or a name ending in such a plural ("Virginia Democrats": a
/// person's name never does). A group that "says" something is quoted, but it is no person to
/// identify by role, to introduce by full name or to spell like one.
pub fn is_group_name(name: &str) -> bool {
    // Asked of every person on every keystroke: the last byte rules out most names before a
    // look-up (a plural ends in "s", an adjective in "ic"; a nationality is one word).
    let group = |w: &str| GAZETTEER.demonym(w).is_some() || classes(w) & wl::GROUP != 0;
    let bytes = name.as_bytes();
    let one_word = || !bytes.contains(&b' ');
    match bytes {
        [.., b's'] => match bytes.iter().rposition(|&b| b == b' ') {
            Some(space) => group(&name[space + 1..name.len() - 1]),
            None => group(&name[..name.len() - 1]) || GAZETTEER.demonym(name).is_some(),
        },
        [.., b'i', b'c'] if one_word() => {
            group(&name[..name.len() - 2]) || GAZETTEER.demonym(name).is_some()
        }
        _ => one_word() && GAZETTEER.demonym(name).is_some(),
    }
}

/// [`wl::CALENDAR`] when the word `bytes[start..end]` is a month's abbreviation written as in a
/// date, its period then a day number ("on Jan. 19, 2025"), else 0. "Jan" is also a given name,
/// so the abbreviations are calendar words only there.
fn month_in_date(bytes: &[u8], start: usize, end: usize) -> u32 {
    const MONTHS: [&[u8]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"Jun", b"Jul", b"Aug", b"Sep", b"Sept", b"Oct", b"Nov",
        b"Dec",
    ];
    let Some(word) = bytes.get(start..end) else {
        return 0;
    };
    // The period is the word's own when the tokenizer took it as an abbreviation's.
    let (word, after) = match word.strip_suffix(b".") {
        Some(w) => (w, end),
        None if bytes.get(end) == Some(&b'.') => (word, end + 1),
        None => return 0,
    };
    let day_follows =
        bytes.get(after) == Some(&b' ') && bytes.get(after + 1).is_some_and(u8::is_ascii_digit);
    if day_follows && MONTHS.contains(&word) {
        wl::CALENDAR
    } else {
        0
    }
}

/// [`classes`] of the word `bytes[start..end]`.
fn classes_at(bytes: &[u8], start: usize, end: usize) -> u32 {
    key_at(bytes, start, end).map_or(0, |k| CLASSES.get(k) & !wl::LOWER)
}

/// The classes of `w` in lower case, as `str::to_lowercase` spells it (only [`wl::LOWER`]).
fn lower_classes(w: &str) -> u32 {
    let key = if w.is_ascii() {
        pack_key(w.as_bytes(), true)
    } else {
        word_key(w.to_lowercase().as_bytes())
    };
    key.map_or(0, |k| CLASSES.get(k) & wl::LOWER)
}

/// Whether the lower-case form of `w` is a stopword.
#[cfg(test)]
fn is_stopword_lower(w: &str) -> bool {
    lower_classes(w) & wl::STOP != 0
}

/// A title with its number of words and its class.
type TitleEntry = (&'static str, usize, &'static str);

/// [`DOTTED`] and the states' AP abbreviations that end in their only period ("Calif.", not
/// "W.Va.", which is a dotted acronym), as a set: looked up at every capitalised word before a
/// period (the end of many sentences), where a scan of the list cost some hundred
/// instructions.
static DOTTED_SET: LazyLock<FastSet<&'static str>> = LazyLock::new(|| {
    let states = GAZETTEER
        .us_state_abbreviations()
        .filter_map(|a| a.strip_suffix('.'))
        .filter(|a| !a.contains('.'));
    DOTTED.iter().copied().chain(states).collect()
});

/// `TITLES` indexed by their first word, each with its word count, in list order: a look-up
/// replaces a scan of the whole list at every capitalised word.
static TITLE_INDEX: LazyLock<FastMap<&'static str, Vec<TitleEntry>>> = LazyLock::new(|| {
    let mut m: FastMap<&'static str, Vec<TitleEntry>> = FastMap::default();
    for &(title, class) in TITLES {
        let first = title.split(' ').next().unwrap_or(title);
        m.entry(first)
            .or_default()
            .push((title, title.split(' ').count(), class));
    }
    m
});

/// A role phrase as words, with its class.
type RoleEntry = (Vec<&'static str>, &'static str);

/// `ROLE_PHRASES` as word lists, indexed by their (lower-case ASCII) first word, in list order.
static ROLE_INDEX: LazyLock<FastMap<&'static str, Vec<RoleEntry>>> = LazyLock::new(|| {
    let mut m: FastMap<&'static str, Vec<RoleEntry>> = FastMap::default();
    for &(phrase, class) in ROLE_PHRASES {
        let words: Vec<&'static str> = phrase.split(' ').collect();
        let first = words.first().copied().unwrap_or(phrase);
        m.entry(first).or_default().push((words, class));
    }
    m
});

/// For each length up to [`KEY_MAX`], the first letters (bit 0 for "a") of the role-phrase
/// heads of that length.
static ROLE_FIRST: LazyLock<[u32; KEY_MAX + 1]> = LazyLock::new(|| {
    let mut t = [0u32; KEY_MAX + 1];
    for (phrase, _) in ROLE_PHRASES {
        let head = phrase.split(' ').next().unwrap_or(phrase).as_bytes();
        if let (Some(slot), Some(&f)) = (t.get_mut(head.len()), head.first()) {
            *slot |= 1 << (f - b'a');
        }
    }
    t
});

/// The longest first word of a role phrase, in bytes: a longer word starts none.
static ROLE_HEAD_MAX: LazyLock<usize> = LazyLock::new(|| {
    ROLE_PHRASES
        .iter()
        .map(|(p, _)| p.split(' ').next().map_or(0, str::len))
        .max()
        .unwrap_or(0)
});

/// Calls `f` with `w` in lower case, exactly as `str::to_lowercase` spells it, without
/// allocating for the short ASCII words that nearly all words are.
pub(super) fn with_lower<R>(w: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 32];
    if w.len() <= buf.len() && w.is_ascii() {
        let b = &mut buf[..w.len()];
        b.copy_from_slice(w.as_bytes());
        b.make_ascii_lowercase();
        // ASCII stays valid UTF-8 after lower-casing.
        f(std::str::from_utf8(b).unwrap_or_default())
    } else {
        f(&w.to_lowercase())
    }
}

/// A stable hash of a word, for the document-wide word statistics (see [`WordHasher`]).
pub(super) fn word_hash(w: &str) -> u64 {
    bytes_hash(w.as_bytes())
}

/// [`word_hash`] of a word given as its bytes.
fn bytes_hash(w: &[u8]) -> u64 {
    let mut h = WordHasher::default();
    h.write(w);
    h.finish()
}

/// [`bytes_hash`] of the word `bytes[start..end]`: its last bytes are read in one load, the
/// bytes after them masked off, when eight bytes from them are in `bytes` (a byte at a time
/// otherwise), which is the number [`WordHasher`] builds from them.
fn hash_at(bytes: &[u8], start: usize, end: usize) -> u64 {
    let Some(w) = bytes.get(start..end) else {
        return 0;
    };
    let mut chunks = w.chunks_exact(8);
    let mut h = WordHasher::default();
    for c in &mut chunks {
        h.write_u64(c.try_into().map_or(0, u64::from_le_bytes));
    }
    let n = chunks.remainder().len();
    if n == 0 {
        return h.finish();
    }
    let at = end - n;
    match bytes.get(at..at + 8) {
        Some(c) => {
            let v = c.try_into().map_or(0, u64::from_le_bytes) & ((1u64 << (8 * n)) - 1);
            h.write_u64(v ^ ((n as u64) << 59));
        }
        // Near the end of the text: the whole word the plain way, out of line.
        None => return tail_bytes_hash(w),
    }
    h.finish()
}

/// [`bytes_hash`] for [`hash_at`]'s rare words that end within eight bytes of the text's end,
/// kept out of the tokenizer's loop.
#[cold]
#[inline(never)]
fn tail_bytes_hash(w: &[u8]) -> u64 {
    bytes_hash(w)
}

/// [`word_hash`] of `w` in lower case, as `str::to_lowercase` spells it: ASCII words are
/// lower-cased as they are hashed.
pub(super) fn lower_word_hash(w: &str) -> u64 {
    if w.is_ascii() {
        let mut h = WordHasher::default();
        h.write_lower_ascii(w.as_bytes());
        h.finish()
    } else {
        word_hash(&w.to_lowercase())
    }
}

/// `c.is_alphanumeric()`, without a table look-up for ASCII and for the punctuation of prose
/// (curly quotes, dashes, the ellipsis: U+2010 to U+2027, none of them a letter or a digit).
#[inline]
fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if ('\u{2010}'..='\u{2027}').contains(&c) {
        false
    } else {
        c.is_alphanumeric()
    }
}

fn is_open_mark(c: char) -> bool {
    matches!(
        c,
        '“' | '"' | '‘' | '(' | '[' | '«' | '„' | '—' | '–' | ':' | '\''
    )
}

/// [`BYTE_KIND`] of an ASCII letter or digit.
const ALNUM: u8 = 1;
/// [`BYTE_KIND`] of any other ASCII byte (space, punctuation).
const SEPARATOR: u8 = 0;

/// What each byte is, for the tokenizer's inner loops: [`ALNUM`], [`SEPARATOR`], or 2 for the
/// bytes of non-ASCII characters (decoded as characters).
static BYTE_KIND: [u8; 256] = {
    let mut t = [2u8; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = if (b as u8).is_ascii_alphanumeric() {
            ALNUM
        } else {
            SEPARATOR
        };
        b += 1;
    }
    t
};

/// Reused buffers of the paragraph scan: one set per thread, so that a paragraph's scan
/// allocates only what it returns.
#[derive(Default)]
struct Scratch {
    toks: Vec<Tok>,
    /// Hashes of the capitalised words that are not sentence-initial.
    cap_words: Vec<u64>,
    /// Hashes of the lower-case words.
    lower_words: Vec<u64>,
    /// The word hashes the document stage may ask about ([`ParaEntities::probes`]).
    probes: Vec<u64>,
    /// The candidates as they are found; the scan's list is moved out of it at its final
    /// size (one allocation instead of a list grown by doubling, then shrunk to fit).
    cands: Vec<Candidate>,
}

impl Scratch {
    /// The most tokens whose buffers a thread keeps between paragraphs: a huge paragraph's
    /// buffers are freed after it instead of staying with the thread.
    const KEEP: usize = 1 << 14;

    fn trim(&mut self) {
        if self.toks.capacity() > Self::KEEP {
            *self = Scratch::default();
        }
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// Splits the paragraph into word tokens (into `s.toks`), and hashes its words as it goes
/// (into `s.cap_words` and `s.lower_words`, unsorted: see [`ParaEntities::cap_words`]).
///
/// A word is a run of letters and digits, with apostrophes, hyphens, periods and ampersands
/// inside it when a letter or digit follows them. Nearly every byte of prose is ASCII: those
/// are classified as bytes, and only the others are decoded as characters.
#[inline(never)]
fn tokenize_into(text: &str, sentences: &[TextRange], headline: bool, s: &mut Scratch) {
    let toks = &mut s.toks;
    toks.clear();
    s.cap_words.clear();
    s.lower_words.clear();
    // About one word per six bytes of prose.
    toks.reserve(text.len() / 6 + 1);
    s.cap_words.reserve(text.len() / 6 + 1);
    s.lower_words.reserve(text.len() / 6 + 1);
    // The start of the next sentence at or after the current token (`usize::MAX`: none).
    let mut sent_starts = sentences.iter().map(|s| s.start);
    let mut next_sent = sent_starts.next().unwrap_or(usize::MAX);
    let mut last_end = 0usize;
    let bytes = text.as_bytes();
    // The character at byte `at` (always a character boundary here), decoding only non-ASCII.
    let char_at = |at: usize| -> Option<char> {
        match bytes.get(at) {
            Some(&b) if b.is_ascii() => Some(char::from(b)),
            Some(_) => text.get(at..).and_then(|s| s.chars().next()),
            None => None,
        }
    };
    // The byte position of the next character to read.
    let mut pos = 0;
    let n = bytes.len();
    loop {
        // Between words: ASCII spaces and punctuation.
        while pos < n && BYTE_KIND[usize::from(bytes[pos])] == SEPARATOR {
            pos += 1;
        }
        let Some(&b) = bytes.get(pos) else { break };
        let start = pos;
        if b.is_ascii() {
            pos += 1;
        } else {
            let Some(c) = char_at(pos) else { break };
            pos += c.len_utf8();
            if !is_alnum(c) {
                continue;
            }
        }
        // Letters and digits. A word of ASCII ended by ASCII other than a joiner or a period,
        // or by the end of the text (nearly every word of prose), has no possessive, no
        // contraction and no particle to look for: its first letter's case is all that counts.
        while pos < n && BYTE_KIND[usize::from(bytes[pos])] == ALNUM {
            pos += 1;
        }
        let simple = b.is_ascii()
            && bytes
                .get(pos)
                .is_none_or(|&d| d.is_ascii() && !matches!(d, b'\'' | b'-' | b'.' | b'&'));
        let (end, name_end, possessive, cap) = if simple {
            (pos, pos, false, b.is_ascii_uppercase())
        } else {
            let (p, word) = joined_word(text, start, pos);
            pos = p;
            word
        };
        // Sentences start in text order: the one at or after this token is the next one.
        while next_sent < start {
            next_sent = sent_starts.next().unwrap_or(usize::MAX);
        }
        let sentence_start = next_sent == start;
        // Nearly every gap is one space: joined, after no opening mark.
        let (after_open, gap_joins) = if start == last_end + 1 && bytes[last_end] == b' ' {
            (false, true)
        } else {
            gap_of(
                text,
                last_end,
                start,
                cap && toks.last().is_some_and(|t: &Tok| t.cap),
            )
        };
        let first = toks.is_empty();
        let initial = headline || first || sentence_start || after_open;
        let joined = !first && !sentence_start && gap_joins;
        let b0 = b;
        let name = &bytes[start..name_end];
        let word_classes = if cap {
            classes_at(bytes, start, name_end) | month_in_date(bytes, start, name_end)
        } else {
            0
        };
        // A capitalised word starts with a letter, so it is never all digits.
        let name_word = cap && word_classes & wl::CALENDAR == 0;
        // The document stage's word statistics: capitalised words that are not
        // sentence-initial, and words with a lower-case letter (see `ParaEntities::cap_words`).
        if cap {
            if !initial {
                s.cap_words.push(hash_at(bytes, start, name_end));
            }
        } else if b0.is_ascii_lowercase()
            // An ASCII lower-case letter answers at once; only a word without one is decoded.
            || name.iter().any(u8::is_ascii_lowercase)
            || !name.is_ascii()
                && text
                    .get(start..name_end)
                    .is_some_and(|w| w.chars().any(char::is_lowercase))
        {
            s.lower_words.push(hash_at(bytes, start, name_end));
        }
        toks.push(Tok {
            start,
            end: name_end,
            possessive,
            cap,
            initial,
            joined,
            name_word,
            wl: word_classes,
        });
        last_end = end;
    }
}

/// The rest of a word that is not the plain case of [`tokenize_into`]: a non-ASCII character,
/// a joiner (apostrophe, hyphen, period, ampersand) or a period after the letters and digits
/// `text[start..pos]`. Returns where reading goes on, and the word's end (with the period of
/// an abbreviation), its name's end (without a possessive), whether it is possessive and
/// whether it is capitalised. Out of line: the tokenizer's loop keeps its registers.
#[inline(never)]
fn joined_word(text: &str, start: usize, mut pos: usize) -> (usize, (usize, usize, bool, bool)) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    // The character at byte `at` (always a character boundary here), decoding only non-ASCII.
    let char_at = |at: usize| -> Option<char> {
        match bytes.get(at) {
            Some(&b) if b.is_ascii() => Some(char::from(b)),
            Some(_) => text.get(at..).and_then(|s| s.chars().next()),
            None => None,
        }
    };
    let alnum_at = |at: usize| match bytes.get(at) {
        Some(&b) if b.is_ascii() => b.is_ascii_alphanumeric(),
        _ => char_at(at).is_some_and(is_alnum),
    };
    // Extend over letters, digits and joiners (apostrophe, hyphen, period, ampersand)
    // followed by a letter or digit. A hyphen inside is what a particle needs
    // ("al-Qaeda").
    let mut hyphen = false;
    loop {
        while pos < n && BYTE_KIND[usize::from(bytes[pos])] == ALNUM {
            pos += 1;
        }
        let Some(&db) = bytes.get(pos) else { break };
        if db.is_ascii() {
            if matches!(db, b'\'' | b'-' | b'.' | b'&') && alnum_at(pos + 1) {
                hyphen |= db == b'-';
                pos += 1;
            } else {
                break;
            }
        } else {
            let Some(d) = char_at(pos) else { break };
            let next = pos + d.len_utf8();
            if is_alnum(d) || d == '’' && alnum_at(next) {
                pos = next;
            } else {
                break;
            }
        }
    }
    let mut end = pos;
    // Keep the period of an abbreviation, an initial or a dotted acronym.
    if bytes.get(end) == Some(&b'.') {
        let word = &text[start..end];
        // Each rule wants a capital first: the end of a sentence ("said.") is ruled out at once.
        let first_upper = match bytes.get(start) {
            Some(&b) if b.is_ascii() => b.is_ascii_uppercase(),
            _ => word.chars().next().is_some_and(char::is_uppercase),
        };
        let single_cap = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
        if first_upper
            && (single_cap
                || (word.len() <= DOTTED_MAX && DOTTED_SET.contains(word))
                || (word.contains('.') && word.chars().all(|c| c == '.' || c.is_uppercase())))
        {
            end += 1;
            // Skip the period we just took.
            pos = end;
        }
    }
    let word = &bytes[start..end];
    // A possessive `’s` or `'s` (after at least one character) is not part of the name.
    let (name_end, possessive) = match *word {
        [.., _, b'\'', b's'] => (end - 2, true),
        // "’" is E2 80 99 in UTF-8.
        [.., _, 0xE2, 0x80, 0x99, b's'] => (end - 4, true),
        _ => (end, false),
    };
    // A plural possessive ("the Smiths’ house") leaves a bare apostrophe after the word.
    let trailing_apostrophe = matches!(bytes.get(end..end + 3), Some([0xE2, 0x80, 0x99]))
        && !alnum_at(end + '’'.len_utf8());
    let b0 = word[0];
    let first_upper = if b0.is_ascii() {
        b0.is_ascii_uppercase()
    } else {
        text[start..].chars().next().is_some_and(char::is_uppercase)
    };
    // "I'm", "I’ll": a pronoun with a contraction, not a name.
    let contraction =
        b0 == b'I' && matches!(word.get(1..), Some([b'\'', ..] | [0xE2, 0x80, 0x99, ..]));
    let cap = !contraction
        && (first_upper
            // A particle (five letters at most) and a hyphen: "al-Qaeda".
            || hyphen
                && PARTICLE_FIRST.contains(&b0)
                && word
                    .iter()
                    .take(6)
                    .position(|&b| b == b'-')
                    .is_some_and(|k| {
                        PARTICLES.contains(&&text[start..start + k])
                            && text[start + k + 1..].starts_with(char::is_uppercase)
                    }));
    (pos, (end, name_end, possessive || trailing_apostrophe, cap))
}

/// Whether the gap `text[last_end..start]` between two words (not a single space) ends with
/// an opening mark, and whether it joins them (white space with at most one line break, or an
/// ampersand between capitalised words). Out of line, as [`joined_word`].
#[inline(never)]
fn gap_of(text: &str, last_end: usize, start: usize, caps: bool) -> (bool, bool) {
    // Read once: the last character that is not white space, how many are not, and the line
    // breaks.
    let (mut last, mut solid, mut breaks) = (None, 0usize, 0usize);
    for ch in text.get(last_end..start).unwrap_or_default().chars() {
        if ch.is_whitespace() {
            breaks += usize::from(ch == '\n');
        } else {
            last = Some(ch);
            solid += 1;
        }
    }
    let after_open = last.is_some_and(is_open_mark);
    // White space only, or an ampersand between capitalised words ("Johnson & Johnson").
    let joins = (solid == 0 || caps && solid == 1 && last == Some('&')) && breaks <= 1;
    (after_open, joins)
}

/// The tokenizer as it was before its byte fast paths: [`tokenize_into`] must give the same
/// tokens.
#[cfg(test)]
fn tokenize_reference(text: &str, sentences: &[TextRange], headline: bool) -> Vec<Tok> {
    // About one word per six bytes of prose.
    let mut toks = Vec::with_capacity(text.len() / 6 + 1);
    let mut sent_starts = sentences.iter().map(|s| s.start).peekable();
    let mut last_end = 0usize;
    let bytes = text.as_bytes();
    // The character at byte `at` (always a character boundary here), decoding only non-ASCII.
    let char_at = |at: usize| -> Option<char> {
        match bytes.get(at) {
            Some(&b) if b.is_ascii() => Some(char::from(b)),
            Some(_) => text.get(at..).and_then(|s| s.chars().next()),
            None => None,
        }
    };
    // The byte position of the next character to read.
    let mut pos = 0;
    while let Some(&b) = bytes.get(pos) {
        // Between words: ASCII spaces and punctuation need no decoding.
        if b.is_ascii() && !b.is_ascii_alphanumeric() {
            pos += 1;
            continue;
        }
        let Some(c) = char_at(pos) else { break };
        let i = pos;
        pos += c.len_utf8();
        if !is_alnum(c) {
            continue;
        }
        let start = i;
        let mut end = pos;
        // Extend over letters, digits and joiners (apostrophe, hyphen, period) followed by a letter.
        while let Some(&db) = bytes.get(pos) {
            // ASCII letters and digits, the bulk of every word.
            if db.is_ascii_alphanumeric() {
                pos += 1;
                end = pos;
                continue;
            }
            let Some(d) = char_at(pos) else { break };
            let j = pos;
            if is_alnum(d) {
                end = j + d.len_utf8();
                pos = end;
                continue;
            }
            if matches!(d, '\'' | '’' | '-' | '.' | '&') {
                let after = char_at(j + d.len_utf8());
                if after.is_some_and(is_alnum) {
                    end = j + d.len_utf8();
                    pos = end;
                    continue;
                }
            }
            break;
        }
        // Keep the period of an abbreviation, an initial or a dotted acronym.
        let word = &text[start..end];
        if text[end..].starts_with('.') {
            let single_cap = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
            if single_cap
                || (word.len() <= DOTTED_MAX && DOTTED_SET.contains(word))
                || (word.contains('.') && word.chars().all(|c| c == '.' || c.is_uppercase()))
            {
                end += 1;
                // Skip the period we just took.
                pos = end;
            }
        }
        let word = &text[start..end];
        let (name_end, possessive) =
            if let Some(w) = word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")) {
                (start + w.len(), !w.is_empty())
            } else {
                (end, false)
            };
        // A plural possessive ("the Smiths’ house") leaves a bare apostrophe after the word.
        let trailing_apostrophe = bytes
            .get(end..)
            .is_some_and(|r| r.starts_with("’".as_bytes()))
            && !text[end + '’'.len_utf8()..].starts_with(is_alnum);
        let first = word.chars().next().unwrap_or(' ');
        // "I'm", "I’ll": a pronoun with a contraction, not a name.
        let contraction = word.starts_with("I'") || word.starts_with("I’");
        let cap = !contraction
            && (first.is_uppercase()
                // A particle (five letters at most) and a hyphen: "al-Qaeda".
                || PARTICLE_FIRST.contains(&word.as_bytes()[0])
                    && word
                    .bytes()
                    .take(6)
                    .position(|b| b == b'-')
                    .is_some_and(|k| {
                        PARTICLES.contains(&&word[..k])
                            && word[k + 1..].starts_with(char::is_uppercase)
                    }));
        while sent_starts.peek().is_some_and(|&s| s < start) {
            sent_starts.next();
        }
        let gap = &text[last_end..start];
        // Nearly every gap is one space.
        let space = gap == " ";
        let prev_char = if space {
            None
        } else {
            gap.trim_end().chars().next_back()
        };
        let sentence_start = sent_starts
            .peek()
            .is_some_and(|&s| s <= start && text[s..start].trim().chars().all(|c| !is_alnum(c)));
        let initial =
            headline || toks.is_empty() || sentence_start || prev_char.is_some_and(is_open_mark);
        let joined = !toks.is_empty()
            && !sentence_start
            && (space
                || (gap.chars().all(char::is_whitespace)
                    || (gap.trim() == "&" && cap && toks.last().is_some_and(|t: &Tok| t.cap)))
                    && gap.bytes().filter(|&b| b == b'\n').count() <= 1);
        let word_classes = if cap {
            classes(&text[start..name_end]) | month_in_date(text.as_bytes(), start, name_end)
        } else {
            0
        };
        let name_word = cap
            && word_classes & wl::CALENDAR == 0
            && !text[start..name_end].chars().all(|c| c.is_ascii_digit());
        toks.push(Tok {
            start,
            end: name_end,
            possessive: possessive || trailing_apostrophe,
            cap,
            initial,
            joined,
            name_word,
            wl: word_classes,
        });
        last_end = end;
    }
    toks
}

/// Whether the paragraph reads as a headline: a heading, or one unpunctuated line in title case.
#[inline(never)]
fn is_headline(ctx: &ParaCtx<'_>) -> bool {
    if ctx.kind == ParagraphKind::Heading {
        return true;
    }
    let t = ctx.text.trim();
    // The length first: it rules out nearly every paragraph without reading it.
    if t.len() > 200 || t.ends_with(['.', '?', '!', '”', '"', ':']) || t.contains('\n') {
        return false;
    }
    // Words of four characters or more, and how many of them are capitalised (counted
    // without a list of them).
    let (mut words, mut capitalised) = (0usize, 0usize);
    for w in t.split_whitespace().filter(|w| w.chars().count() > 3) {
        words += 1;
        capitalised += usize::from(w.starts_with(char::is_uppercase));
    }
    words > 0 && capitalised * 10 >= words * 6
}

/// Hashes of the capitalised words that are not sentence-initial and of the lower-case words
/// (each sorted, unique): see [`ParaEntities::cap_words`]. The scan hashes them as it
/// tokenizes ([`tokenize_into`]); this is the plain computation the test compares with.
#[cfg(test)]
fn word_hashes(text: &str, toks: &[Tok]) -> (Vec<u64>, Vec<u64>) {
    let mut cap_words = Vec::with_capacity(toks.len());
    let mut lower_words = Vec::with_capacity(toks.len());
    for t in toks {
        // The hash reads bytes: no need to slice (and check) the text as a `str`.
        let w = text.as_bytes().get(t.start..t.end).unwrap_or_default();
        if t.cap && !t.initial {
            cap_words.push(bytes_hash(w));
        } else if !t.cap
            // An ASCII lower-case letter answers at once; only a word without one is decoded.
            && (w.iter().any(u8::is_ascii_lowercase)
                || !w.is_ascii()
                    && text
                        .get(t.start..t.end)
                        .is_some_and(|w| w.chars().any(char::is_lowercase)))
        {
            lower_words.push(bytes_hash(w));
        }
    }
    cap_words.sort_unstable();
    cap_words.dedup();
    lower_words.sort_unstable();
    lower_words.dedup();
    (cap_words, lower_words)
}

/// The paragraph stage: candidate mentions and word statistics.
pub fn scan(ctx: &ParaCtx<'_>, quotes: &ParaQuotes) -> ParaEntities {
    SCRATCH.with_borrow_mut(|scratch| {
        let out = scan_with(ctx, quotes, scratch);
        scratch.trim();
        out
    })
}

/// [`scan`] with the thread's reused buffers.
fn scan_with(ctx: &ParaCtx<'_>, quotes: &ParaQuotes, scratch: &mut Scratch) -> ParaEntities {
    let text = ctx.text;
    let headline = is_headline(ctx);
    tokenize_into(text, ctx.sentences, headline, scratch);
    let mut out = ParaEntities::default();
    let mut cands = std::mem::take(&mut scratch.cands);
    cands.clear();
    for words in [&mut scratch.cap_words, &mut scratch.lower_words] {
        words.sort_unstable();
        words.dedup();
    }

    let s = Scanner {
        text,
        toks: &scratch.toks,
        quotes,
    };
    s.runs(ctx, &mut cands);
    s.descriptors(&mut cands);
    s.premodifiers(&mut cands);
    s.appositives(&mut cands);
    shared_plural_titles(text, &mut cands);
    sheet_matches(ctx, &mut cands);
    let order = |c: &Candidate| (c.range.start, std::cmp::Reverse(c.range.end));
    // The runs come in text order, so the candidates usually do: sort only if not.
    if !cands.is_sorted_by_key(order) {
        cands.sort_by_key(order);
    }
    // Drop candidates nested in or overlapping an earlier one (sheet matches and descriptors
    // may cover words a run already produced). In place: `cands[..kept]` are the candidates
    // kept so far, and nothing moves while nothing is dropped.
    let mut kept = 0;
    for r in 0..cands.len() {
        let (done, rest) = cands.split_at_mut(r);
        let (Some(c), done) = (rest.first_mut(), &mut done[..kept]) else {
            break;
        };
        // An organisation or place named inside a descriptor ("the head of the Munich
        // Security Conference") is a mention of its own.
        let nested = c.nested
            || done.iter().rev().take(2).any(|p| {
                p.form == MentionForm::Descriptor
                    && p.range.contains_range(c.range)
                    && c.kind != Some(EntityKind::Person)
            });
        if !nested
            && let Some(prev) = done.last_mut()
            && prev.range.overlaps(c.range)
        {
            if c.sheet.is_some() && prev.sheet.is_none() && c.range.len() >= prev.range.len() {
                std::mem::swap(prev, c);
            }
            continue;
        }
        if kept != r {
            cands.swap(kept, r);
        }
        kept += 1;
    }
    cands.truncate(kept);
    s.modifiers(&mut cands);
    // Moved into a list of exactly their number; the buffer keeps its capacity.
    out.cands = Vec::with_capacity(cands.len());
    out.cands.append(&mut cands);
    scratch.cands = cands;
    let probes = &mut scratch.probes;
    find_probes(text, &out.cands, probes);
    let (cap_words, lower_words) = (&scratch.cap_words, &scratch.lower_words);
    out.n_probes = probes.len();
    out.n_cap = cap_words.len();
    out.words = Vec::with_capacity(probes.len() + cap_words.len() + lower_words.len());
    out.words.extend_from_slice(probes);
    out.words.extend_from_slice(cap_words);
    out.words.extend_from_slice(lower_words);
    out
}

/// The word hashes the document stage may ask about for `cands` (see
/// [`ParaEntities::probes`]); it mirrors the look-ups of [`super::coref::resolve`].
#[inline(never)]
fn find_probes(text: &str, cands: &[Candidate], out: &mut Vec<u64>) {
    out.clear();
    let lower_hash = lower_word_hash;
    for c in cands {
        let name = c.name.of(text);
        out.push(lower_hash(name));
        if let Some(u) = c.unsure {
            for w in u.of(text).split_whitespace() {
                let w = w.trim_end_matches(|c: char| !is_alnum(c));
                out.push(word_hash(w));
                out.push(lower_hash(w));
            }
            // The name without its unsure first word.
            if u.end < c.name.end {
                out.push(lower_hash(text[u.end..c.name.end].trim_start()));
            }
        }
        if c.guessed {
            out.extend(name.split_whitespace().map(lower_hash));
        }
    }
    out.sort_unstable();
    out.dedup();
}

/// Matches the entity sheet's names and aliases (exact, on word boundaries).
#[inline(never)]
fn sheet_matches(ctx: &ParaCtx<'_>, cands: &mut Vec<Candidate>) {
    for (idx, e) in ctx.config.entities.iter().enumerate() {
        let Ok(idx) = u32::try_from(idx) else { break };
        let forms = std::iter::once(&e.name)
            .chain(e.preferred.iter())
            .chain(e.aliases.iter());
        for form in forms {
            if form.is_empty() {
                continue;
            }
            for (at, _) in ctx.text.match_indices(form.as_str()) {
                let end = at + form.len();
                let before = ctx.text[..at].chars().next_back();
                let after = ctx.text[end..].chars().next();
                if before.is_some_and(char::is_alphanumeric)
                    || after.is_some_and(char::is_alphanumeric)
                {
                    continue;
                }
                let r = TextRange::new(at, end);
                if cands
                    .iter()
                    .any(|c| c.sheet == Some(idx) && c.range.overlaps(r))
                {
                    continue;
                }
                let kind = e.kind.unwrap_or(EntityKind::Person);
                let is_alias = *form != e.name && Some(form) != e.preferred.as_ref();
                let form_kind = if kind != EntityKind::Person {
                    MentionForm::Name
                } else if is_alias {
                    MentionForm::Alias
                } else if form.split_whitespace().count() >= 2 {
                    MentionForm::FullName
                } else {
                    MentionForm::Surname
                };
                let mut c = Candidate::new(r, r, Some(kind), form_kind);
                c.sheet = Some(idx);
                cands.push(c);
            }
        }
    }
}

struct Scanner<'a> {
    text: &'a str,
    toks: &'a [Tok],
    /// The paragraph's quotation marks, paired ([`crate::engine::quotes::scan`]).
    quotes: &'a ParaQuotes,
}

impl<'a> Scanner<'a> {
    fn word(&self, i: usize) -> &'a str {
        let t = self.toks[i];
        &self.text[t.start..t.end]
    }

    /// Whether token `i` is `w` in any ASCII case (compared as bytes, as
    /// `str::eq_ignore_ascii_case` does: this runs for every token).
    /// Whether token `i` is "the" in any case (the test `descriptors` makes at every token).
    fn is_the(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| {
            matches!(
                self.text.as_bytes().get(t.start..t.end),
                Some(&[a, b, c]) if a | 0x20 == b't' && b | 0x20 == b'h' && c | 0x20 == b'e'
            )
        })
    }

    /// Whether byte `at` is inside a quotation: between a pair of marks, or after an opening
    /// mark the paragraph never closes. What a speaker calls someone ("“Donald Trump is a
    /// fraud,” he said") identifies nobody.
    fn inside_quotation(&self, at: usize) -> bool {
        let q = self.quotes;
        let i = q.spans.partition_point(|r| r.start < at);
        i.checked_sub(1).is_some_and(|i| at < q.spans[i].end)
            || q.open.first().is_some_and(|o| o.start < at)
    }

    fn lower_is(&self, i: usize, w: &str) -> bool {
        self.toks.get(i).is_some_and(|t| {
            self.text
                .as_bytes()
                .get(t.start..t.end)
                .is_some_and(|b| b.eq_ignore_ascii_case(w.as_bytes()))
        })
    }

    /// Finds the runs of capitalised tokens and classifies each.
    #[inline(never)]
    fn runs(&self, ctx: &ParaCtx<'_>, out: &mut Vec<Candidate>) {
        // Runs of capitalised tokens.
        let gaz = &*GAZETTEER;
        let mut i = 0;
        while i < self.toks.len() {
            if !self.is_name_word(i) {
                // Names the gazetteer spells in lower case ("ntv"); the first byte and the
                // length rule out nearly every word.
                let t = self.toks[i];
                let first = self.text.as_bytes().get(t.start).copied().unwrap_or(0);
                let w = if gaz.may_start_lowercase_name(first, t.end - t.start) {
                    self.word(i)
                } else {
                    ""
                };
                if !w.is_empty()
                    && gaz.may_be_lowercase_name(w)
                    && let Some(e) = gaz.lookup(w)
                    && e.canonical.starts_with(char::is_lowercase)
                {
                    let r = self.range(i, i + 1);
                    let mut c = Candidate::new(r, r, Some(e.kind), MentionForm::Name);
                    c.canonical = Some(e.canonical);
                    out.push(c);
                }
                i += 1;
                continue;
            }
            let mut j = i + 1;
            loop {
                if j >= self.toks.len() || self.toks[j - 1].possessive || !self.toks[j].joined {
                    break;
                }
                // A capitalised function word ("In", "The") inside a run starts a new sentence
                // that the segmenter missed (a line break, an abbreviation before it).
                if self.is_name_word(j) && !self.is_stopword(j) {
                    j += 1;
                    continue;
                }
                // Connectors: name particles, and "of" (and "of the") after a word that takes one.
                let w = self.word(j);
                let next_name =
                    |k: usize| k < self.toks.len() && self.toks[k].joined && self.is_name_word(k);
                // Particles are short and start with one of a few letters.
                let particle = w.len() <= PARTICLE_MAX
                    && PARTICLE_FIRST.contains(&w.as_bytes()[0])
                    && self.wl(j) & wl::PARTICLE != 0;
                if particle && next_name(j + 1) {
                    j += 2;
                    continue;
                }
                if matches!(w, "of" | "for") && self.wl(j - 1) & wl::OF_LEAD != 0 {
                    if next_name(j + 1) {
                        j += 2;
                        continue;
                    }
                    if j + 2 < self.toks.len()
                        && self.word(j + 1) == "the"
                        && self.toks[j + 1].joined
                        && next_name(j + 2)
                    {
                        j += 3;
                        continue;
                    }
                }
                break;
            }
            self.classify_run(i, j, true, ctx, out);
            i = j;
        }
    }

    /// Whether token `i` in lower case is a stopword.
    fn is_stopword(&self, i: usize) -> bool {
        let t = self.toks[i];
        lower_classes_at(self.text, t.start, t.end) & wl::STOP != 0
    }

    /// The word-list classes of token `i` as written ([`classes`]).
    fn wl(&self, i: usize) -> u32 {
        let t = self.toks[i];
        if t.cap {
            t.wl
        } else {
            classes_at(self.text.as_bytes(), t.start, t.end)
        }
    }

    /// A capitalised word that can be part of a name (not a date word, not "I").
    fn is_name_word(&self, i: usize) -> bool {
        self.toks[i].name_word
    }

    fn range(&self, a: usize, b: usize) -> TextRange {
        TextRange::new(self.toks[a].start, self.toks[b - 1].end)
    }

    fn span_text(&self, a: usize, b: usize) -> &'a str {
        self.range(a, b).of(self.text)
    }

    /// Whether only a comma and a space part token `k` from a capitalised token before it
    /// ("Bridgeport, Conn.").
    fn after_comma_of_name(&self, k: usize) -> bool {
        k > 0
            && k < self.toks.len()
            && self.text.as_bytes().get(self.toks[k - 1].end) == Some(&b',')
            && self.toks[k - 1].cap
            && self.text.get(self.toks[k - 1].end..self.toks[k].start) == Some(", ")
    }

    /// The state of the United States that token `k` names, spelt out or abbreviated ("Ohio",
    /// "New York", "Conn."), as (end token, the state's name).
    fn state_at(&self, k: usize) -> Option<(usize, &'static str)> {
        let w = self.word(k);
        if let Some(state) = GAZETTEER.us_state_abbreviated(w) {
            return Some((k + 1, state));
        }
        let two = (k + 2 <= self.toks.len() && self.toks.get(k + 1).is_some_and(|t| t.joined))
            .then(|| self.span_text(k, k + 2));
        [(k + 2, two), (k + 1, Some(w))]
            .into_iter()
            .find_map(|(e, name)| Some((e, GAZETTEER.us_state(name?)?)))
    }

    /// Whether ", " and a state follow the run ending before token `b`, the state ending a phrase
    /// ("Madison, Alabama, who", "Bridgeport, Conn., Joe Ganim"; not "Obama, Florida Sen.").
    fn state_follows(&self, b: usize) -> bool {
        if !self.after_comma_of_name(b) {
            return false;
        }
        let Some((e, _)) = self.state_at(b) else {
            return false;
        };
        e >= self.toks.len()
            || !self.toks[e].joined
            || !self.toks[e].cap
            || self.word(e - 1).ends_with('.')
    }

    /// The longest capitalised title at token `i` (`TITLES`), as (end token, class).
    fn title_at(&self, i: usize, end: usize) -> Option<(usize, &'static str)> {
        let mut best = None;
        if i >= end {
            return None;
        }
        // Titles start with a capital, and nearly every capitalised word starts none: its
        // classes say so without a look-up (a word too long for them is looked up).
        let t = self.toks[i];
        if !t.cap || t.end - t.start <= KEY_MAX && t.wl & wl::TITLE_HEAD == 0 {
            return None;
        }
        // A title matches only where its first word is the whole token (titles of several
        // words are letters and single spaces), so the token's text is the index key.
        let list = TITLE_INDEX.get(self.word(i))?;
        for &(title, n, class) in list {
            if i + n <= end
                && self.span_text(i, i + n) == title
                && best.is_none_or(|(e, _)| i + n > e)
            {
                best = Some((i + n, class));
            }
        }
        best
    }

    /// The longest role phrase at token `i` in any case (`ROLE_PHRASES`), as (end token, class).
    fn role_phrase_at(&self, i: usize) -> Option<(usize, &'static str)> {
        let mut best = None;
        if i >= self.toks.len() {
            return None;
        }
        let head = self.word(i);
        // Role phrases are lower-case ASCII, so only an ASCII word of their length can start
        // one (`eq_ignore_ascii_case` folds ASCII letters only).
        if head.len() > *ROLE_HEAD_MAX || !head.is_ascii() {
            return None;
        }
        // Nearly every word starts no role phrase: its length and first letter, or else one
        // look-up of its classes, say so.
        if head.len() <= KEY_MAX {
            let f = head.as_bytes()[0].to_ascii_lowercase();
            if !f.is_ascii_lowercase()
                || ROLE_FIRST[head.len()] & 1 << (f - b'a') == 0
                || lower_classes_at(self.text, self.toks[i].start, self.toks[i].end) & wl::ROLE_HEAD
                    == 0
            {
                return None;
            }
        }
        let list = with_lower(head, |h| ROLE_INDEX.get(h))?;
        for (phrase, class) in list {
            let n = phrase.len();
            if i + n > self.toks.len() {
                continue;
            }
            let ok = phrase.iter().enumerate().all(|(k, w)| {
                let t = self.toks[i + k];
                (k == 0 || t.joined)
                    && !(k + 1 < n && t.possessive)
                    && self.word(i + k).eq_ignore_ascii_case(w)
            });
            if ok && best.is_none_or(|(e, _)| i + n > e) {
                best = Some((i + n, *class));
            }
        }
        best
    }

    /// The affiliation a premodifier gives (a demonym, or a gazetteer country, place or
    /// institution), as (end token, key, displayed name).
    fn affiliation_at(&self, i: usize, end: usize) -> Option<(usize, &'static str)> {
        if i >= end || !self.toks[i].cap {
            return None;
        }
        if let Some(code) = GAZETTEER.demonym(self.word(i)) {
            return Some((i + 1, code));
        }
        // The longest gazetteer name starting at `i`.
        for k in (i + 1..=end.min(i + 5)).rev() {
            if let Some(e) = GAZETTEER.lookup(self.span_text(i, k)) {
                return Some((k, affiliation_key(e)));
            }
        }
        None
    }

    /// Classifies the capitalised run `toks[a..b]` into zero or more candidates.
    fn classify_run(
        &self,
        mut a: usize,
        b: usize,
        split: bool,
        ctx: &ParaCtx<'_>,
        out: &mut Vec<Candidate>,
    ) {
        let a0 = a;
        // "New York-based", "Texas-born", "Saudi-led": an adjective made of a name, no name
        // itself; a known place or institution in it is a mention.
        let last = self.word(b - 1);
        // (A byte loop: `str::rfind` costs more than the whole test for a short word.)
        if let Some(h) = last.bytes().rposition(|c| c == b'-')
            && matches!(
                &last[h + 1..],
                "based"
                    | "born"
                    | "bred"
                    | "raised"
                    | "led"
                    | "backed"
                    | "funded"
                    | "owned"
                    | "run"
                    | "controlled"
                    | "held"
                    | "made"
                    | "built"
                    | "inspired"
                    | "style"
                    | "era"
                    | "allied"
                    | "aligned"
                    | "affiliated"
                    | "linked"
                    | "sponsored"
                    | "supported"
                    | "friendly"
                    | "speaking"
            )
        {
            // A person's name in it is no reference to them ("a Rubio-style debate", "an
            // American-born judge" are no first mentions).
            let stem = TextRange::new(self.toks[a].start, self.toks[b - 1].start + h);
            if let Some(e) = GAZETTEER.lookup(stem.of(self.text))
                && e.kind != EntityKind::Person
            {
                let mut c = Candidate::new(stem, stem, Some(e.kind), MentionForm::Name);
                c.canonical = Some(e.canonical);
                c.country = e.country;
                out.push(c);
            }
            return;
        }
        // A state's abbreviation after a city ("Bridgeport, Conn.", "Dover, Del.") is the state.
        if b - a == 1
            && self.word(a).ends_with('.')
            && self.after_comma_of_name(a)
            && let Some((_, state)) = self.state_at(a)
            && let Some(e) = GAZETTEER.lookup(state)
        {
            let r = self.range(a, b);
            let mut c = Candidate::new(r, r, Some(EntityKind::Place), MentionForm::Name);
            c.canonical = Some(e.canonical);
            c.country = e.country;
            out.push(c);
            return;
        }
        let whole = self.span_text(a, b);
        let exact = GAZETTEER.lookup(whole);
        // Sentence-initial function words ("The", "In", "According") are not part of a name,
        // unless the gazetteer knows the whole run ("The Hague").
        let mut determiner = None;
        while a < b && exact.is_none() {
            let w = self.word(a);
            // Only ASCII letters lower-case to "the".
            let is_the = w.eq_ignore_ascii_case("the");
            if (self.toks[a].initial || is_the) && self.is_stopword(a) {
                if is_the {
                    determiner = Some(a);
                }
                a += 1;
            } else {
                break;
            }
        }
        // "Will" opening a question's clause is the verb: "As Its Rivals Pair Up, Will
        // Twitter Be Next?" (not "Will Smith said").
        if a + 1 < b
            && exact.is_none()
            && self.word(a) == "Will"
            && (self.toks[a].initial || self.text[..self.toks[a].start].ends_with(", "))
            && ctx
                .sentences
                .iter()
                .find(|s| s.end > self.toks[a].start)
                .is_some_and(|s| s.of(ctx.text).trim_end().ends_with('?'))
        {
            a += 1;
        }
        if a >= b {
            return;
        }
        if a > 0 && determiner.is_none() && self.lower_is(a - 1, "the") && self.toks[a].joined {
            determiner = Some(a - 1);
        }
        // A title, possibly after an affiliation: "Chinese President", "US Secretary of State".
        let mut i = a;
        let mut sig_aff = None;
        let mut class = None;
        let mut honorific = false;
        let mut qualified: Option<usize> = None;
        if self.wl(i) & wl::HONORIFIC != 0 {
            honorific = true;
            i += 1;
        } else {
            // An affiliation counts only before a title, so look for one only if a later word
            // of the run can start a title.
            let title_later = (i + 1..b).any(|k| {
                let t = self.toks[k];
                t.cap && (t.end - t.start > KEY_MAX || t.wl & wl::TITLE_HEAD != 0)
            });
            let found = if title_later {
                self.affiliation_at(i, b)
            } else {
                None
            };
            let (after_aff, aff) = match found {
                Some((k, key)) if k < b && self.title_at(k, b).is_some() => (k, Some(key)),
                _ => (i, None),
            };
            if let Some((k, cls)) = self.title_at(after_aff, b) {
                sig_aff = aff;
                class = Some(cls);
                i = k;
                // A second title ("President-elect General …") is part of the role.
                while let Some((k2, _)) = self.title_at(i, b) {
                    i = k2;
                }
            } else if b - i >= 3 {
                // A title after capitalised words that qualify it, with a name after it:
                // "Home Secretary Suella Braverman", "Stanford University Professor Jane Roe".
                if let Some((k, (e, cls))) = (i + 1..b - 1)
                    .find_map(|k| self.title_at(k, b).filter(|(e, _)| *e < b).map(|t| (k, t)))
                    && !(i..k).any(|m| self.toks[m].possessive)
                {
                    let qualifier = self.span_text(i, k);
                    sig_aff = Some(
                        GAZETTEER
                            .lookup(qualifier)
                            .map_or(qualifier, affiliation_key),
                    );
                    class = Some(cls);
                    // The qualifier may name an institution or a place of its own; the person's
                    // mention starts at the title, the role includes the qualifier. A lone
                    // institution word ("Police Chief", "Army General") names a department,
                    // not a body of its own, and is no mention: taken for one, it would join
                    // any person whose name has that word ("Police Chef Priya Rahman").
                    if !(k == i + 1 && self.wl(i) & wl::ORG_HEAD != 0) {
                        let before = out.len();
                        self.classify_run(i, k, true, ctx, out);
                        // What qualifies a title is a body or a place ("House Democratic
                        // Leader", "United Auto Workers Secretary-Treasurer"): a guess that it
                        // names a person is wrong.
                        for q in out.iter_mut().skip(before).filter(|q| q.guessed) {
                            q.kind = Some(EntityKind::Organization);
                            q.form = MentionForm::Name;
                            q.guessed = false;
                        }
                    }
                    qualified = Some(k);
                    i = e;
                }
            }
        }
        if i >= b {
            if let Some(cls) = class {
                // A capitalised title alone: "the Chinese President", "The President".
                let start = determiner.unwrap_or(a);
                let r = TextRange::new(self.toks[start].start, self.toks[b - 1].end);
                let mut c = Candidate::new(
                    r,
                    self.range(a, b),
                    Some(EntityKind::Person),
                    MentionForm::Descriptor,
                );
                c.set_role(
                    self.span_text(a, b),
                    RoleSig {
                        affiliation: sig_aff.map(SharedText::copy),
                        class: cls,
                    },
                );
                out.push(c);
            }
            return;
        }
        // "Director of Communications Jane Doe", "Chief of Police Ann Berg": a title of an
        // office, then a given name and one or two more words, the person who holds it.
        if class.is_some() && self.word(i) == "of" && i + 2 < b {
            let m = if self.lower_is(i + 1, "the") {
                i + 2
            } else {
                i + 1
            };
            // The name is two or three words: three when its second is a given name too
            // ("Mary Ann Smith"), unless the office before two is known ("Governor of West
            // Virginia Jim Justice").
            let given = |k: usize| k > m && GAZETTEER.is_first_name(self.word(k));
            let known = |k: usize| GAZETTEER.lookup(self.span_text(m, k)).is_some();
            let start = if given(b - 2) && known(b - 2) {
                Some(b - 2)
            } else {
                [b - 3, b - 2].into_iter().find(|&k| given(k))
            };
            if let Some(k) = start
                && (m..k).all(|j| self.toks[j].cap && !self.toks[j].possessive)
            {
                let office = self.span_text(m, k);
                sig_aff = Some(GAZETTEER.lookup(office).map_or(office, affiliation_key));
                i = k;
            }
        }
        // "Governor of Virginia": a capitalised title of a place or institution, a descriptor
        // whose affiliation is the rest of the run (itself a mention).
        if let Some(cls) = class
            && self.word(i) == "of"
            && i + 1 < b
        {
            let start = determiner.unwrap_or(a);
            let r = TextRange::new(self.toks[start].start, self.toks[b - 1].end);
            let m = if self.lower_is(i + 1, "the") {
                i + 2
            } else {
                i + 1
            };
            let org = self.span_text(m.min(b - 1), b);
            let mut c = Candidate::new(
                r,
                self.range(a, b),
                Some(EntityKind::Person),
                MentionForm::Descriptor,
            );
            c.set_role(
                self.span_text(a, b),
                RoleSig {
                    affiliation: Some(SharedText::copy(
                        GAZETTEER.lookup(org).map_or(org, affiliation_key),
                    )),
                    class: cls,
                },
            );
            out.push(c);
            if m < b {
                self.classify_run(m, b, true, ctx, out);
            }
            return;
        }
        // "Justice Department", "General Assembly": a title word before an institution's head
        // names the institution, not a person.
        if class.is_some() && b - i == 1 && self.wl(i) & wl::ORG_HEAD != 0 {
            let r = self.range(a, b);
            out.push(Candidate::new(
                r,
                r,
                Some(EntityKind::Organization),
                MentionForm::Name,
            ));
            return;
        }
        let titled = class.is_some() || honorific;
        let n = b - i;
        let name = self.range(i, b);
        let name_text = name.of(self.text);
        let last = self.word(b - 1);
        let first = self.word(i);
        let mut c = Candidate::new(self.range(a, b), name, None, MentionForm::Name);
        if titled {
            c.kind = Some(EntityKind::Person);
            c.form = if n >= 2 {
                MentionForm::FullName
            } else {
                MentionForm::Surname
            };
            if let Some(cls) = class {
                c.set_role(
                    self.span_text(a, i),
                    RoleSig {
                        affiliation: sig_aff.map(SharedText::copy),
                        class: cls,
                    },
                );
            }
            if let Some(k) = qualified {
                c.range = self.range(k, b);
            }
            // In a headline ("… As Mayor Responds") a title proves nothing either.
            if (i..b).all(|k| self.toks[k].initial) {
                c.unsure = Some(name);
            }
            out.push(c);
            return;
        }
        // The name is the whole run when nothing was taken off its front: looked up already.
        let entry = if i == a0 {
            exact
        } else {
            GAZETTEER.lookup(name_text)
        };
        let (first_wl, last_wl) = (self.wl(i), self.wl(b - 1));
        // The word-class test before the substring search, which costs a few hundred
        // instructions to set up.
        let org_form = (n >= 2
            && (last_wl & wl::ORG_HEAD != 0
                || first_wl & wl::OF_LEAD != 0 && self.span_text(i, b).contains(" of ")))
            || (n >= 1 && last.ends_with("Inc."));
        // Facilities named "X Museum" or "X Space Center" are places; "Center for X" is an
        // institution.
        let facility =
            n >= 2 && matches!(last, "Museum" | "Center" | "Centre") && !name_text.contains(" of ");
        // "Central Asia", "Eastern Ukraine": a part of a known place.
        let region = || {
            first_wl & wl::REGION_LEAD != 0
                && GAZETTEER
                    .lookup(self.span_text(i + 1, b))
                    .is_some_and(|e| e.kind == EntityKind::Place)
        };
        let place_form = n >= 2
            && (last_wl & wl::PLACE_HEAD != 0
                || first_wl & wl::PLACE_LEAD != 0
                || facility
                || region());
        let org_form = org_form && !facility;
        if entry.is_none() && n >= 2 && (last_wl & wl::EVENT_HEAD != 0 || first == "Operation") {
            // Events, awards, laws and wars ("World Cup", "Second Amendment") are none of the
            // three kinds.
            return;
        }
        if let Some(e) = entry {
            c.kind = Some(e.kind);
            c.canonical = Some(e.canonical);
            c.country = e.country;
            c.form = person_form(e, n);
        } else if place_form && !org_form {
            c.kind = Some(EntityKind::Place);
        } else if org_form {
            c.kind = Some(EntityKind::Organization);
            // Places named inside an institution's name ("University of Helsinki") are
            // mentions of their own.
            for (gs, ge, entry) in self.gazetteer_spans(i, b) {
                if entry.kind == EntityKind::Place && ge - gs < n {
                    let r = self.range(gs, ge);
                    let mut p = Candidate::new(r, r, Some(EntityKind::Place), MentionForm::Name);
                    p.canonical = Some(entry.canonical);
                    p.country = entry.country;
                    p.nested = true;
                    out.push(p);
                }
            }
            // An institution named after a person ("Andy Warhol Foundation") also mentions them;
            // not one named after a place whose name is also a given name ("Washington
            // Restaurant Association").
            if n >= 3
                && GAZETTEER.is_first_name(first)
                && self.toks[i + 1].cap
                && self.wl(i + 1) & wl::ORG_HEAD == 0
                && GAZETTEER
                    .lookup(first)
                    .is_none_or(|e| e.kind != EntityKind::Place)
            {
                let r = self.range(i, i + 2);
                let mut p = Candidate::new(r, r, Some(EntityKind::Person), MentionForm::FullName);
                p.nested = true;
                out.push(p);
            }
        } else if place_form {
            c.kind = Some(EntityKind::Place);
        } else if n == 1 {
            let w = first;
            if GAZETTEER.demonym(w).is_some()
                || w.ends_with("ese")
                || w.ends_with("ian") && GAZETTEER.demonym(w).is_some()
            {
                // An adjective of nationality, not a mention.
                return;
            }
            if let Some(singular) = w.strip_suffix('s')
                && (GAZETTEER.demonym(singular).is_some() || classes(singular) & wl::GROUP != 0)
            {
                // "Afghans", "Muslims", "Republicans": a group of people.
                c.kind = Some(EntityKind::Person);
                c.form = MentionForm::Name;
                c.cue = Some(EntityKind::Person);
                out.push(c);
                return;
            }
            if first_wl & wl::GROUP != 0 {
                // The adjective ("a Muslim cleric", "Republican senators").
                return;
            }
            // Two to six letters, all upper case.
            let (mut letters, mut upper) = (0, true);
            for c in w.chars().filter(|c| c.is_alphabetic()) {
                letters += 1;
                upper &= c.is_uppercase();
            }
            if (2..=6).contains(&letters) && upper {
                if w.chars().any(|c| c.is_ascii_digit()) || first_wl & wl::COMMON_ACRONYM != 0 {
                    return;
                }
                c.kind = Some(EntityKind::Organization);
                // An upper-case word that the story also uses in lower case is emphasis
                // ("ALL", "UNLESS"): the document stage checks, as for sentence-initial words.
                c.unsure = Some(name);
            } else if self.state_follows(b) {
                // "Madison, Alabama": a town of the state.
                c.kind = Some(EntityKind::Place);
            } else if GAZETTEER.is_first_name(w) {
                c.kind = Some(EntityKind::Person);
                c.form = MentionForm::FirstName;
                c.weak = true;
            }
            // Otherwise the kind stays unknown: the document stage decides (a surname of someone
            // named elsewhere, or a cue).
        } else {
            // Two or more capitalised words with no organisation or place form.
            if is_party_word(last) {
                // "a Florida Republican strategist", "Murphy, a Jupiter Democrat": a member of
                // a party from a place, no name (Florida is a given name too); the place is a
                // mention of its own.
                self.classify_run(i, b - 1, split, ctx, out);
                return;
            }
            let gaz = self.gazetteer_spans(i, b);
            let first_is_name = GAZETTEER.is_first_name(first);
            // Split around gazetteer names, unless the name is a last word that is also a
            // given name: "Valeska Paris" is a person, "Moscow Beijing" two places.
            let surname_like = gaz.first().is_some_and(|g| {
                g.0 > i && g.1 == b && g.1 - g.0 == 1 && GAZETTEER.is_first_name(self.word(g.0))
            });
            let has_country = gaz
                .iter()
                .any(|g| g.2.country.is_some() && g.2.kind == EntityKind::Place);
            if split && (!first_is_name || has_country) && !gaz.is_empty() && !surname_like {
                // Split around gazetteer names: "Moscow Beijing" → two places, "Russia Today" →
                // place + rest.
                self.split_run(i, b, &gaz, ctx, out);
                return;
            }
            c.kind = Some(EntityKind::Person);
            c.form = MentionForm::FullName;
            // Without a given name, a title or a cue this is only a guess: the document stage
            // drops it when one of its words is a common (lower-case) word in the story.
            c.guessed = !first_is_name;
            // An acronym in it ("JPL Stardust", "PlayStation VR") makes it a name of a thing,
            // not of a person.
            // Initials before a surname are a person's ("J.M. Berger", "T.J. Holmes"), unless
            // they are a known name ("U.S. Steel").
            let initials = |k: usize| {
                let w = self.word(k);
                k == i
                    && b - i >= 2
                    && (4..=6).contains(&w.len())
                    && w.as_bytes()
                        .chunks(2)
                        .all(|p| matches!(p, [l, b'.'] if l.is_ascii_uppercase()))
                    && GAZETTEER.lookup(w).is_none()
                    && !DOTTED_PLACES.contains(&w)
            };
            let acronym = (i..b).any(|k| {
                if initials(k) {
                    return false;
                }
                let w = self.word(k);
                w.chars().filter(|c| c.is_alphabetic()).count() >= 2
                    && w.chars()
                        .filter(|c| c.is_alphabetic())
                        .all(char::is_uppercase)
            });
            if acronym {
                c.kind = Some(EntityKind::Organization);
                c.form = MentionForm::Name;
                c.guessed = false;
            }
        }
        // Sentence-initial words need confirmation unless the gazetteer or a title vouches.
        let all_initial = (i..b).all(|k| self.toks[k].initial);
        // A name with an organisation or place head ("Stanford University") vouches for itself,
        // except in a headline.
        let headed = (org_form || place_form) && !all_initial;
        if self.toks[i].initial
            && entry.is_none()
            && !headed
            && (all_initial || !(c.form == MentionForm::FullName && GAZETTEER.is_first_name(first)))
        {
            // In a headline every word is capitalised: all of them need confirmation.
            let last_unsure = if all_initial { b - 1 } else { i };
            c.unsure = Some(TextRange::new(
                self.toks[i].start,
                self.toks[last_unsure].end,
            ));
        }
        c.cue = self.cue(i, b);
        // "the Onion", "the Sea Org": a name after an article is an institution or a thing,
        // not a person, when nothing else says person; one word after it is never a person's
        // name, even before "said" ("The Hill reported", "the Post said"), unless it is a
        // family's ("the Sams continued").
        // A given name alone after "the" is so only before a verb ("The Hill reported", not
        // "the Marilyn pictures").
        let verb_after = || {
            c.cue == Some(EntityKind::Person)
                || b < self.toks.len()
                    && self.toks[b].joined
                    && !self.toks[b].cap
                    && self.word(b).ends_with("ed")
        };
        if determiner.is_some()
            && (c.guessed || c.kind.is_none() || c.weak && n == 1 && verb_after())
            && (c.cue != Some(EntityKind::Person) || n == 1 && !last.ends_with('s'))
        {
            c.kind = Some(EntityKind::Organization);
            c.form = MentionForm::Name;
            c.guessed = false;
        }
        out.push(c);
    }

    /// Gazetteer names inside `toks[a..b]` that start and end on token boundaries, as token
    /// ranges, found with the gazetteer's Aho-Corasick automaton in one pass over the run.
    fn gazetteer_spans(&self, a: usize, b: usize) -> Vec<(usize, usize, &'static GazEntry)> {
        let base = self.toks[a].start;
        let mut out = Vec::new();
        for (s, e, entry) in GAZETTEER.find_in(self.span_text(a, b)) {
            let start = (a..b).find(|&k| self.toks[k].start == base + s);
            let end = (a..b).find(|&k| self.toks[k].end == base + e);
            if let (Some(ts), Some(te)) = (start, end)
                && ts <= te
                && !(ts..te).any(|k| self.toks[k].possessive)
            {
                out.push((ts, te + 1, entry));
            }
        }
        out
    }

    /// Splits a run at its gazetteer names; the words between them are classified on their own.
    fn split_run(
        &self,
        a: usize,
        b: usize,
        spans: &[(usize, usize, &'static GazEntry)],
        ctx: &ParaCtx<'_>,
        out: &mut Vec<Candidate>,
    ) {
        let mut i = a;
        let rest = |i: usize, k: usize, out: &mut Vec<Candidate>| {
            if k - i == 1 {
                let w = self.word(i);
                if GAZETTEER.demonym(w).is_none() && !self.is_stopword(i) {
                    let r = self.range(i, k);
                    let mut c = Candidate::new(r, r, None, MentionForm::Name);
                    if self.toks[i].initial {
                        c.unsure = Some(r);
                    }
                    c.cue = self.cue(i, k);
                    out.push(c);
                }
            } else if k > i {
                self.classify_run(i, k, false, ctx, out);
            }
        };
        for &(s, e, entry) in spans {
            rest(i, s, out);
            let r = self.range(s, e);
            let mut c = Candidate::new(r, r, Some(entry.kind), person_form(entry, e - s));
            c.canonical = Some(entry.canonical);
            c.country = entry.country;
            out.push(c);
            i = e;
        }
        rest(i, b, out);
    }

    /// What the words around `toks[a..b]` say about its kind.
    fn cue(&self, a: usize, b: usize) -> Option<EntityKind> {
        // The classes of the word after the run and of the word before it, if joined to it.
        let after = if b < self.toks.len() && self.toks[b].joined {
            self.wl(b)
        } else {
            0
        };
        let before = a > 0 && self.toks[a].joined;
        // "Officials in Brussels said": the subject is before the preposition; the run after
        // "in" is where they are, whatever verb follows it.
        if before && self.word(a - 1) == "in" {
            return Some(EntityKind::Place);
        }
        // "Mayor Ann Lee of Springfield said": the verb is the person's, not Springfield's.
        let of_before = before && self.word(a - 1) == "of";
        if after & wl::PERSON_CUE != 0 && !self.toks[b - 1].possessive && !of_before {
            return Some(EntityKind::Person);
        }
        // Countries playing each other are teams: "Sweden beat", "against Belgium".
        if after & wl::TEAM_VERB != 0
            || (before && matches!(self.word(a - 1), "vs" | "beat" | "defeated" | "versus"))
        {
            return Some(EntityKind::Organization);
        }
        if before && self.wl(a - 1) & wl::PLACE_CUE != 0 {
            return Some(EntityKind::Place);
        }
        None
    }

    /// Lower-case descriptors: "the Chinese head of state", "The Kremlin chief", "the head of
    /// the Munich Security Conference".
    #[inline(never)]
    fn descriptors(&self, out: &mut Vec<Candidate>) {
        let toks = self.toks;
        for (j, t) in toks.iter().enumerate() {
            // Three bytes long first: that rules out nearly every token at once.
            if t.end - t.start != 3 || !self.is_the(j) {
                continue;
            }
            let mut k = j + 1;
            let mut aff = None;
            if let Some((e, key)) = self.affiliation_at(k, toks.len())
                && e < toks.len()
                && toks[e].joined
            {
                aff = Some(key);
                k = e;
            }
            let premodified = aff.is_some();
            if k >= toks.len() || !toks[k].joined || toks[k - 1].possessive && aff.is_none() {
                continue;
            }
            let Some((mut e, class)) = self.role_phrase_at(k) else {
                continue;
            };
            if aff.is_none() {
                // "the head of [the] X": the affiliation follows.
                if e + 1 < toks.len()
                    && self.word(e) == "of"
                    && toks[e].joined
                    && !toks[e - 1].possessive
                {
                    let mut m = e + 1;
                    if self.lower_is(m, "the") && m + 1 < toks.len() {
                        m += 1;
                    }
                    let mut end = m;
                    while end < toks.len()
                        && toks[end].cap
                        && toks[end].joined
                        && (end == m || !toks[end - 1].possessive)
                    {
                        end += 1;
                        if end < toks.len()
                            && self.word(end) == "of"
                            && end + 1 < toks.len()
                            && toks[end + 1].cap
                        {
                            end += 1;
                        }
                    }
                    if end > m {
                        let org = self.span_text(m, end);
                        aff = Some(GAZETTEER.lookup(org).map_or(org, affiliation_key));
                        e = end;
                    }
                }
            }
            let Some(aff) = aff else { continue };
            // Followed by a name, it is a title of that name, not a descriptor.
            if e < toks.len()
                && toks[e].joined
                && toks[e].cap
                && !toks[e - 1].possessive
                && !toks[e].initial
            {
                continue;
            }
            let r = TextRange::new(toks[j].start, toks[e - 1].end);
            let mut c = Candidate::new(r, r, Some(EntityKind::Person), MentionForm::Descriptor);
            c.set_role(
                TextRange::new(toks[j + 1].start, r.end).of(self.text),
                RoleSig {
                    affiliation: Some(SharedText::copy(aff)),
                    class,
                },
            );
            // A premodifying institution is part of the descriptor ("The Kremlin chief"); an
            // organisation after "of" stays a mention of its own.
            out.retain(|o| !(o.form == MentionForm::Descriptor && o.range.overlaps(r)));
            if premodified {
                out.retain(|o| !(r.contains_range(o.range) && o.kind != Some(EntityKind::Person)));
            }
            out.push(c);
        }
    }

    /// Roles written in lower case before a name, as wire copy gives them: "Kremlin spokesman
    /// Dmitry Peskov", "White House press secretary Josh Earnest", "Clinton's campaign manager
    /// Robby Mook", "retired Air Force general Lloyd Newton". The role is the role phrase
    /// (`ROLE_PHRASES`) that ends where the name starts, with the lower-case words before it
    /// and the capitalised words that qualify it (an institution, a place, a person's
    /// possessive: the affiliation). A name of unknown kind after such a role is a person's.
    #[inline(never)]
    fn premodifiers(&self, out: &mut [Candidate]) {
        let mut cursor = 0;
        // Where descriptors end ("The president of the United States, Joe Biden"): such a role
        // is the descriptor's, which the document stage links to the name after it.
        let descriptor_ends: Vec<usize> = out
            .iter()
            .filter(|d| d.form == MentionForm::Descriptor)
            .map(|d| d.range.end)
            .collect();
        for c in out.iter_mut() {
            if c.has_role()
                || c.sheet.is_some()
                || !matches!(c.kind, Some(EntityKind::Person) | None)
                || c.form == MentionForm::Descriptor
            {
                continue;
            }
            // The name's first token: the candidates come in text order, so nearly always at
            // or after the previous one's (else by binary search).
            if self.toks.get(cursor).is_none_or(|t| t.start > c.name.start) {
                cursor = 0;
            }
            while self
                .toks
                .get(cursor)
                .is_some_and(|t| t.start < c.name.start)
            {
                cursor += 1;
                if self
                    .toks
                    .get(cursor + 8)
                    .is_some_and(|t| t.start < c.name.start)
                {
                    cursor += self.toks[cursor..].partition_point(|t| t.start < c.name.start);
                    break;
                }
            }
            let k = cursor;
            if k == 0 || k >= self.toks.len() {
                continue;
            }
            // "the LinkedIn chief executive, Jeff Weiner, said": a definite role set off by a
            // comma before a full name (checked once the role is found).
            let comma = !self.toks[k].joined;
            if comma
                && (c.form != MentionForm::FullName
                    || self.text.get(self.toks[k - 1].end..self.toks[k].start) != Some(", "))
            {
                continue;
            }
            // Lower-case words, hyphenated ones too ("front-runner").
            let lower = |i: usize| {
                let t = self.toks[i];
                !t.cap
                    && !t.possessive
                    && self
                        .word(i)
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'-')
            };
            // The lower-case words joined before the name (at most three).
            let mut l = k;
            while l > 0 && k - l < 3 && (l == k || self.toks[l].joined) && lower(l - 1) {
                l -= 1;
            }
            // The longest role phrase that ends at the name: "attorney general" before
            // "general".
            let role = (l..k).find_map(|i| {
                self.role_phrase_at(i)
                    .filter(|&(e, _)| e == k)
                    .map(|(_, class)| (i, class))
            });
            // Or an institution's possessive before a person's full name: "CNN's Tara
            // Setmayer", "Gallup's Jeffrey M. Jones" (the affiliation is the role); or a
            // party, as political copy identifies candidates: "Republican Donald Trump".
            let affiliated = || {
                let t = self.toks[k - 1];
                let party = || is_party_word(self.word(k - 1));
                (t.cap
                    && (t.possessive || party())
                    && c.kind == Some(EntityKind::Person)
                    && c.form == MentionForm::FullName)
                    .then_some((k, "affiliation"))
            };
            // "The author of the book, Mitchell Zuckoff, said": a definite role with an
            // "of" phrase, set off by commas before the name.
            if comma
                && role.is_none()
                && self.text[c.name.end..].starts_with(',')
                && !descriptor_ends.contains(&self.toks[k - 1].end)
                && let Some((i, class)) = (k.saturating_sub(8)..k.saturating_sub(2)).find_map(|i| {
                    let (e, class) = self.role_phrase_at(i)?;
                    (i > 0
                        && self.lower_is(i - 1, "the")
                        && self.toks[i].joined
                        && e < k
                        && self.word(e) == "of"
                        && (e..k).all(|j| self.toks[j].joined && !self.toks[j].possessive))
                    .then_some((i, class))
                })
            {
                c.set_role(
                    TextRange::new(self.toks[i - 1].start, self.toks[k - 1].end).of(self.text),
                    RoleSig {
                        affiliation: None,
                        class,
                    },
                );
                continue;
            }
            // "his nephew Michery el Soheil", "Trump's son Eric Trump": a relation to someone
            // the story names identifies the person.
            if !comma
                && role.is_none()
                && c.form == MentionForm::FullName
                && k >= 2
                && self.toks[k - 1].joined
                && RELATIVES.contains(&self.word(k - 1))
                && (["his", "her", "their"]
                    .iter()
                    .any(|w| self.lower_is(k - 2, w))
                    || self.toks[k - 2].cap && self.toks[k - 2].possessive)
            {
                c.set_role(
                    TextRange::new(self.toks[k - 2].start, self.toks[k - 1].end).of(self.text),
                    RoleSig {
                        affiliation: None,
                        class: "relative",
                    },
                );
                continue;
            }
            let Some((r, class)) = role.or_else(affiliated) else {
                continue;
            };
            // Lower-case words before it that modify it ("press", "campaign", "deputy").
            let mut m = r;
            while m > 0
                && r - m < 3
                && self.toks[m].joined
                && lower(m - 1)
                && self.wl(m - 1) & wl::PERSON_CUE == 0
                && !self.is_stopword(m - 1)
                && !self.word(m - 1).ends_with("ed")
                && !self.word(m - 1).ends_with("ly")
            {
                m -= 1;
            }
            // Capitalised words that qualify it, a possessive only as the last of them.
            let mut q = m;
            while q > 0
                && m - q < 4
                && self.toks[q].joined
                && self.toks[q - 1].cap
                && (q == m || !self.toks[q - 1].possessive)
                && !(self.toks[q - 1].initial && self.is_stopword(q - 1))
            {
                q -= 1;
            }
            if q == k {
                // A possessive that is no name ("Here's Why …").
                continue;
            }
            if comma
                && !(role.is_some()
                    && self.text[c.name.end..].starts_with(',')
                    && (self.toks[q].possessive
                        || q > 0
                            && self.toks[q].joined
                            && (self.lower_is(q - 1, "the") || self.toks[q - 1].possessive)))
            {
                continue;
            }
            let affiliation = (q < m).then(|| {
                let qualifier = self.span_text(q, m);
                GAZETTEER
                    .lookup(qualifier)
                    .map_or(qualifier, affiliation_key)
            });
            c.set_role(
                TextRange::new(self.toks[q].start, self.toks[k - 1].end).of(self.text),
                RoleSig {
                    affiliation: affiliation.map(SharedText::copy),
                    class,
                },
            );
            if c.kind.is_none() {
                c.kind = Some(EntityKind::Person);
                c.form = if c.name.of(self.text).contains(' ') {
                    MentionForm::FullName
                } else {
                    MentionForm::Surname
                };
            }
            // A role vouches for a person; a possessive does not ("Virginia's Tax Code").
            c.guessed &= r == k;
        }
    }

    /// Up to three lower-case words from token `k` that can make a role after an article or
    /// a possessive ("an economist", "Obama's special envoy"): where they end (`k` if none).
    fn lower_role_words(&self, k: usize) -> usize {
        let mut e = k;
        while e < self.toks.len()
            && e < k + 3
            && self.toks[e].joined
            && !self.toks[e].cap
            && !matches!(
                self.word(e),
                "of" | "at" | "for" | "from" | "with" | "who" | "and" | "in"
                    // A verb ends it: "Like Trump, the Republican National Committee has
                    // written off …" is a clause, no role.
                    | "is" | "was" | "are" | "were" | "has" | "have" | "had" | "will"
                    | "would" | "can" | "could" | "said" | "says" | "told"
            )
            && (self.word(e).chars().all(|c| c.is_alphabetic() || c == '-')
                || is_age_adjective(self.word(e)))
        {
            e += 1;
        }
        e
    }

    /// Where the capitalised words joined from token `from` end, before a possessive (which
    /// ends them and is not counted).
    fn joined_caps_end(&self, from: usize) -> usize {
        let mut end = from;
        while self
            .toks
            .get(end)
            .is_some_and(|t| t.cap && t.joined && !t.possessive)
        {
            end += 1;
        }
        end
    }

    /// Whether token `k` is an age set off by commas ("Jason Gilbert, 34, a teacher").
    fn is_age(&self, k: usize) -> bool {
        self.toks.get(k).is_some_and(|t| {
            (1..=3).contains(&(t.end - t.start))
                && self.word(k).bytes().all(|b| b.is_ascii_digit())
                && self.text[t.end..].starts_with(',')
        })
    }

    /// A hometown from token `k` ("of Ashton, Md.", "of Cheyenne"): where it ends, and the
    /// signature of the role it gives (the town, or an institution named instead, is the
    /// affiliation).
    fn hometown(&self, k: usize) -> Option<(usize, RoleSig, Option<TextRange>)> {
        if k >= self.toks.len() || self.word(k) != "of" {
            return None;
        }
        // The place: capitalised words, and a state after a comma ("Ashton, Md."); or an
        // institution after "the" ("James Pethokoukis of the American Enterprise Institute").
        let the = self.lower_is(k + 1, "the")
            && self.toks.get(k + 1).is_some_and(|t| t.joined)
            && self.toks.get(k + 2).is_some_and(|t| t.joined);
        let from = k + 1 + usize::from(the);
        let mut end = self.joined_caps_end(from);
        if end == from {
            return None;
        }
        let place = self.span_text(from, end);
        let town = self.range(from, end);
        if end < self.toks.len()
            && self.after_comma_of_name(end)
            && let Some((e, _)) = self.state_at(end)
        {
            end = e;
        }
        let entry = GAZETTEER.lookup(place);
        let institution = entry.map_or(the, |e| e.kind != EntityKind::Place);
        let sig = RoleSig {
            affiliation: Some(SharedText::copy(entry.map_or(place, affiliation_key))),
            class: if institution { "role" } else { "resident" },
        };
        Some((end, sig, (!institution).then_some(town)))
    }

    /// Where the capitalised words qualifying a role from token `k` end, a possessive only as
    /// the last of them ("Cruz campaign's" stops after "Cruz"), an "of" between them belonging
    /// to them ("University of South Carolina").
    fn qualifier_end(&self, k: usize) -> usize {
        let mut q = k;
        while let Some(t) = self.toks.get(q) {
            if t.cap && (q == k || t.joined) {
                q += 1;
                if t.possessive {
                    break;
                }
            } else if q > k
                && t.joined
                && self.word(q) == "of"
                && self.toks.get(q + 1).is_some_and(|n| n.cap && n.joined)
            {
                q += 1;
            } else {
                break;
            }
        }
        q
    }

    /// Marks the one-word names that modify the noun after them, after an article ("the Obama
    /// administration", "a Trump presidency"; not "the Obama who …", "a Trump said").
    fn modifiers(&self, cands: &mut [Candidate]) {
        let is_article = |w: &str| matches!(w, "the" | "The" | "a" | "A" | "an" | "An");
        let bytes = self.text.as_bytes();
        for c in cands.iter_mut() {
            if c.kind == Some(EntityKind::Place) || c.role_info.is_some() {
                continue;
            }
            // Nearly every name has no article right before it or as its first word: that is
            // told from the bytes, before any token is looked up.
            let before = &bytes[..c.name.start];
            let name = &bytes[c.name.start..c.name.end];
            let article_before = [&b"the "[..], b"The ", b"a ", b"A ", b"an ", b"An "]
                .iter()
                .any(|a| before.ends_with(a));
            let article_first = [&b"The "[..], b"A ", b"An "]
                .iter()
                .any(|a| name.starts_with(a));
            if !article_before && !article_first {
                continue;
            }
            // The name's words: one, or a sentence-initial article and one ("The Obama
            // administration", the article an unsure first word the document stage drops).
            let first = self.toks.partition_point(|t| t.start < c.name.start);
            let end = self.toks.partition_point(|t| t.start < c.name.end);
            let a = match end.checked_sub(first) {
                Some(1) => first,
                Some(2) if c.unsure.is_some() && is_article(self.word(first)) => first + 1,
                _ => continue,
            };
            let Some(t) = self.toks.get(a) else { continue };
            if a == 0 || t.possessive || !t.joined || !is_article(self.word(a - 1)) {
                continue;
            }
            c.modifier = self.toks.get(a + 1).is_some_and(|n| {
                n.joined
                    && !n.cap
                    && self.text[n.start..n.end].starts_with(|ch: char| ch.is_ascii_lowercase())
                    && !matches!(self.word(a + 1), "who" | "said" | "says" | "and" | "or")
            });
        }
    }

    /// A role set before a name, at the start of a sentence ("A spokesman for the company,
    /// Jane Doe said", "An environmental activist, John Smith says") or between commas ("…, a
    /// spokeswoman, Anna White, said"): "a" or "an", at most three adjectives and a role
    /// phrase (`ROLE_PHRASES`), and what follows the role runs on to a comma right before the
    /// name, which starts at `start`. Returns the article's token and the name's (not "A day
    /// after the president resigned, Jane Doe said": the role word is no head of the phrase).
    fn preposed_role(&self, start: usize) -> Option<(usize, usize)> {
        if !self.text[..start].ends_with(", ") {
            return None;
        }
        let a = self.toks.partition_point(|t| t.start < start);
        if a < 2 || a >= self.toks.len() || self.toks[a].start != start {
            return None;
        }
        if self.text[self.toks[a - 1].end..start].trim() != "," {
            return None;
        }
        // The phrase before the comma, back to the start of its sentence, with nothing but
        // white space between its words.
        let mut s = a - 1;
        while self.toks[s].joined {
            if s == 0 || a - s > 12 {
                return None;
            }
            s -= 1;
        }
        // At the start of a sentence, or itself set off by a comma ("…, a spokeswoman, Anna
        // White, said"; not "He met a lawyer, Jane Doe said", where the phrase runs back to
        // "He").
        let after_comma =
            s > 0 && self.text[self.toks[s - 1].end..self.toks[s].start].trim() == ",";
        let article = if self.toks[s].initial {
            matches!(self.word(s), "A" | "An")
        } else {
            after_comma && matches!(self.word(s), "a" | "an")
        };
        if !article {
            return None;
        }
        let mut j = s + 1;
        while j < a && j <= s + 3 {
            if self.role_phrase_at(j).is_some_and(|(e, _)| e <= a) {
                return Some((s, a));
            }
            let t = self.toks[j];
            if t.cap || self.is_stopword(j) && !matches!(self.word(j), "former" | "longtime") {
                return None;
            }
            j += 1;
        }
        None
    }

    /// "is a candidate in …", "was an adviser to …" from token `k` right after a name: a
    /// sentence that says what the person is, with a role word (`ROLE_PHRASES`) after the
    /// article and at most one capitalised qualifier or lower-case adjective ("is a French
    /// politician", "was a longtime adviser"). Returns where the role's phrase ends.
    fn copular_role(&self, k: usize) -> Option<usize> {
        let joined = |i: usize| self.toks.get(i).is_some_and(|t| t.joined);
        if !(joined(k)
            && matches!(self.word(k), "is" | "was")
            && joined(k + 1)
            && (self.lower_is(k + 1, "a") || self.lower_is(k + 1, "an"))
            && joined(k + 2))
        {
            return None;
        }
        let a = k + 2;
        let q = self.qualifier_end(a);
        let (start, e) = if q > a {
            (q, self.role_phrase_at(q)?.0)
        } else {
            match self.role_phrase_at(a) {
                Some((e, _)) => (a, e),
                None if !self.toks[a].cap
                    && (!self.is_stopword(a)
                        || matches!(
                            self.word(a),
                            "former" | "longtime" | "retired" | "interim" | "senior"
                        ))
                    && joined(a + 1)
                    && !self.toks[a + 1].cap =>
                {
                    (a + 1, self.role_phrase_at(a + 1)?.0)
                }
                None => return None,
            }
        };
        (start < self.toks.len()).then(|| self.phrase_end(e, e + 8))
    }

    /// Whether token `k` opens "one of …", a relation ("son of …", "whose husband …") or a
    /// relative clause that says what someone does
    /// ("who is", "who was", "who runs", "who heads", …).
    fn one_of_or_who_is(&self, k: usize) -> bool {
        let next =
            |w: &str| self.toks.get(k + 1).is_some_and(|t| t.joined) && self.word(k + 1) == w;
        if k >= self.toks.len() {
            return false;
        }
        match self.word(k) {
            "one" => next("of"),
            // Related to someone the story names: "Walter Hewlett, son of HP's co-founder",
            // "Dorothy Woods, whose husband, Navy SEAL Ty Woods, was killed".
            w if RELATIVES.contains(&w) => next("of"),
            "whose" => {
                self.toks.get(k + 1).is_some_and(|t| t.joined)
                    && RELATIVES.contains(&self.word(k + 1))
            }
            // "who is" and "who was" say what someone is only before a noun phrase ("who
            // was Rubio's campaign pollster", "who is its vice chairwoman"), not before a
            // participle or a number ("who is reviled by", "who is 70").
            "who" if k + 1 < self.toks.len() && matches!(self.word(k + 1), "is" | "was") => {
                self.toks.get(k + 2).is_some_and(|t| t.joined)
                    && (self.toks[k + 2].cap
                        || matches!(
                            self.word(k + 2),
                            "a" | "an" | "the" | "its" | "his" | "her" | "their"
                        )
                        || self.role_phrase_at(k + 2).is_some())
            }
            "who" => {
                // "who had headed", "who has served": past an auxiliary.
                let v = if self.toks.get(k + 2).is_some_and(|t| t.joined)
                    && matches!(self.word(k + 1), "had" | "has" | "have")
                {
                    k + 2
                } else {
                    k + 1
                };
                self.toks.get(v).is_some_and(|t| t.joined)
                    && matches!(
                        self.word(v),
                        "runs"
                            | "ran"
                            | "heads"
                            | "headed"
                            | "leads"
                            | "led"
                            | "chairs"
                            | "directs"
                            | "founded"
                            | "co-founded"
                            | "owns"
                            | "works"
                            | "worked"
                            | "serves"
                            | "served"
                            | "teaches"
                            | "taught"
                            | "represents"
                            | "represented"
                            | "manages"
                            | "oversees"
                            | "oversaw"
                            | "helped"
                            | "helps"
                            | "lives"
                            | "lived"
                            | "hosts"
                            | "hosted"
                            | "coaches"
                            | "coached"
                            | "studies"
                            | "studied"
                    )
            }
            _ => false,
        }
    }

    /// The end of the phrase that goes on from token `from`: the first token not joined to the
    /// one before it (after a comma or other punctuation), or a relative clause inside it ("one
    /// of several veterans who came"), at most `max`.
    fn phrase_end(&self, from: usize, max: usize) -> usize {
        let mut e = from.min(self.toks.len());
        while e < self.toks.len()
            && e < max
            && self.toks[e].joined
            && !(e > from && matches!(self.word(e), "who" | "which" | "that"))
        {
            e += 1;
        }
        e
    }

    /// Appositive roles: "Christoph Heusgen, head of the Munich Security Conference".
    #[inline(never)]
    fn appositives(&self, out: &mut [Candidate]) {
        // Hometowns ("of Cheyenne"): a given name there is a place, not a person.
        let mut towns: Vec<TextRange> = Vec::new();
        for c in out.iter_mut() {
            // A surname alone takes an appositive set off by commas or dashes ("Eswar Prasad,
            // a professor", where "Eswar" is no known given name).
            // A word of unknown kind only with a role word: "Prasad, a professor" is a person,
            // "Cornell, one of the oldest" says nothing.
            // "Scott (D-Va.)": party and state after a lone name make it a legislator's.
            if c.role().is_none()
                && (c.kind.is_none() || c.kind == Some(EntityKind::Person))
                && matches!(
                    c.form,
                    MentionForm::Name | MentionForm::Surname | MentionForm::FirstName
                )
                && let Some(inner) = party_and_state(&self.text[c.range.end..])
            {
                c.set_role(inner, RoleSig::plain());
                c.kind = Some(EntityKind::Person);
                c.form = MentionForm::Surname;
                continue;
            }
            let surname = c.form == MentionForm::Surname;
            let unknown = c.kind.is_none() && surname;
            if c.kind != Some(EntityKind::Person) && !unknown
                || c.form != MentionForm::FullName && !surname
                || c.role().is_some()
            {
                continue;
            }
            // Tokens are in text order: the first one at or after the name, by binary search.
            let b = self.toks.partition_point(|t| t.start < c.range.end);
            if b >= self.toks.len() {
                continue;
            }
            // "A spokesman for the company, Jane Doe said": the role before the name.
            if c.form == MentionForm::FullName
                && c.kind == Some(EntityKind::Person)
                && let Some((s, a)) = self.preposed_role(c.range.start)
            {
                c.set_role(self.range(s + 1, a).of(self.text), RoleSig::plain());
                continue;
            }
            // "Sen. Jon Tester (D-Mont.)": a legislator's party and state.
            if let Some(inner) = party_and_state(&self.text[c.range.end..]) {
                c.set_role(inner, RoleSig::plain());
                continue;
            }
            // Set off by a comma or a dash ("Jason Sims — a teacher from Mount Pleasant —").
            let gap = self.text[c.range.end..self.toks[b].start].trim();
            if !(gap.starts_with(',')
                || gap.starts_with('—')
                || gap.starts_with('–')
                || gap == "-" && self.text[c.range.end..].starts_with(" - "))
            {
                if surname {
                    continue;
                }
                // "Jason Gilbert of Cheyenne said": a hometown with no comma (not the "of" of
                // a title read into the name: "Clinton Chief of Staff Cheryl Mills").
                if self.toks[b].joined
                    && b.checked_sub(1)
                        .is_some_and(|l| self.role_phrase_at(l).is_none())
                    && let Some((e, sig, town)) = self.hometown(b)
                {
                    c.set_role(self.range(b, e).of(self.text), sig);
                    towns.extend(town);
                } else if let Some(e) = self.copular_role(b)
                    && !self.inside_quotation(c.range.start)
                {
                    // "Marine Le Pen is a candidate in France's election".
                    c.set_role(self.range(b + 2, e).of(self.text), RoleSig::plain());
                }
                continue;
            }
            let mut k = b;
            let mut aff = None;
            // "Jason Gilbert, 34, a teacher": an age first, no identification on its own.
            if self.is_age(k) {
                k += 1;
            }
            // "Susan Crawford, then Maples's literary agent", "Jane Doe, now a senior adviser":
            // when the role was or is held says nothing of who holds it.
            if k + 1 < self.toks.len()
                && self.toks[k + 1].joined
                && matches!(
                    self.word(k),
                    "then" | "now" | "formerly" | "previously" | "once"
                )
            {
                k += 1;
            }
            // "Donna Rawlings, 59, of Ashton, Md.": a hometown is how wire copy identifies
            // someone with no title.
            if !unknown && let Some((e, sig, town)) = self.hometown(k) {
                c.set_role(self.range(b, e).of(self.text), sig);
                towns.extend(town);
                continue;
            }
            // "Robert McAtee, one of several coal industry veterans", "Whit Ayres, who was
            // Rubio's campaign pollster": the phrase or clause says who the person is.
            if !unknown && self.one_of_or_who_is(k) {
                let e = self.phrase_end(k + 1, k + 12);
                c.set_role(self.range(b, e).of(self.text), RoleSig::plain());
                continue;
            }
            let article = self.lower_is(k, "the")
                || self.lower_is(k, "a")
                || self.lower_is(k, "an")
                || self.lower_is(k, "another");
            // A possessive that relates the person, before a role phrase ("Rahm Emanuel, his
            // chief of staff"; not "Hillary Clinton, her candidacy on the line").
            let determiner = !article
                && ["his", "her", "their", "its"]
                    .iter()
                    .any(|w| self.lower_is(k, w));
            if article || determiner {
                k += 1;
            }
            if let Some((e, key)) = self.affiliation_at(k, self.toks.len()) {
                aff = Some(key);
                k = e;
            }
            if unknown && (!article || aff.is_some() || self.role_phrase_at(k).is_none()) {
                continue;
            }
            let (mut e, mut class) = match self.role_phrase_at(k) {
                Some(found) => found,
                // "Anna Berg, an economist at Nordea": after an article, up to three lower-case
                // words (adjectives and a noun) are a role too, after capitalised words that
                // qualify them ("the Cruz campaign's chairman"); or a party member alone ("a
                // Democrat", "a New York Republican").
                None if determiner => continue,
                None if article => {
                    let q = self.qualifier_end(k);
                    // A surname alone needs a role word or a qualifier: "Obama, the idealist,
                    // the pragmatist" is no role.
                    if surname && q == k && aff.is_none() {
                        continue;
                    }
                    match self.lower_role_words(q) {
                        e if e > q => (e, "role"),
                        _ if q > k && is_party_word(self.word(q - 1)) => (q, "role"),
                        _ => continue,
                    }
                }
                // With no article, a role phrase after up to three lower-case words ("Sarah
                // Warbelow, legal director for …"), after a possessive if any ("Tad Devine,
                // Sanders's chief strategist", "Benjamin J. Rhodes, Mr. Obama's deputy national
                // security adviser": the holder is the affiliation).
                None => {
                    let q = self.qualifier_end(k);
                    // (A known name's possessive was read as the affiliation already:
                    // "Ronald Reagan's daughter".)
                    let possessive = q > k && self.toks[q - 1].possessive
                        || q == k && aff.is_some() && k > 0 && self.toks[k - 1].possessive;
                    if q > k && !possessive {
                        continue;
                    }
                    // Modifiers, not a clause: no function word or verb ("Billie Jean King,
                    // you are the Queen", "Jim Bennett, 57, told a voter").
                    // A year is a modifier too: "Patti Solis Doyle, Clinton's 2008 campaign
                    // manager".
                    let year = |w: &str| {
                        w.len() == 4
                            && (w.starts_with("19") || w.starts_with("20"))
                            && w.bytes().all(|b| b.is_ascii_digit())
                    };
                    let lower_at = |m: usize| {
                        self.toks.get(m).is_some_and(|t| {
                            !t.cap
                                && !t.possessive
                                && (m == q || t.joined)
                                && (self.word(m).bytes().all(|b| b.is_ascii_lowercase())
                                    || possessive && m == q && year(self.word(m)))
                                && (!self.is_stopword(m)
                                    // Two modifiers joined ("education and law professor").
                                    || m > q && self.word(m) == "and"
                                    || matches!(
                                        self.word(m),
                                        "former"
                                            | "longtime"
                                            | "acting"
                                            | "retired"
                                            | "interim"
                                            | "outgoing"
                                            | "incoming"
                                            | "then"
                                    ))
                                && !matches!(
                                    self.word(m),
                                    "is" | "are"
                                        | "was"
                                        | "were"
                                        | "be"
                                        | "been"
                                        | "has"
                                        | "have"
                                        | "had"
                                        | "will"
                                        | "would"
                                        | "can"
                                        | "could"
                                        | "told"
                                        | "said"
                                        | "says"
                                        | "tells"
                                )
                        })
                    };
                    let found = (q..q + 4)
                        .take_while(|&j| j == q || lower_at(j - 1))
                        .find_map(|j| {
                            self.role_phrase_at(j)
                                .filter(|_| j == q || self.toks[j].joined && !self.toks[j].cap)
                        })
                        // A relative of the holder: "Patti Davis, Ronald Reagan's daughter".
                        .or_else(|| {
                            (possessive
                                && self.toks.get(q).is_some_and(|t| t.joined && !t.cap)
                                && RELATIVES.contains(&self.word(q)))
                            .then_some((q + 1, "relative"))
                        });
                    let Some(found) = found else {
                        continue;
                    };
                    if q > k {
                        let holder = self.span_text(k, q);
                        aff = Some(GAZETTEER.lookup(holder).map_or(holder, affiliation_key));
                    }
                    found
                }
            };
            // A role phrase right after it is part of the role ("chief" + "strategist").
            while let Some(t) = self.toks.get(e)
                && t.joined
                && !t.cap
                && let Some((e2, c2)) = self.role_phrase_at(e)
            {
                (e, class) = (e2, c2);
            }
            // Capitalised words after the role phrase: another person's possessive before
            // the role proper ("Brett McGurk, President Obama's special envoy": the title is
            // Obama's, the affiliation his), or a qualifier inside the role ("a former Obama
            // administration official").
            let p = self.joined_caps_end(e);
            let possessive = self
                .toks
                .get(p)
                .is_some_and(|t| t.cap && t.joined && t.possessive);
            let after = if possessive { p + 1 } else { p };
            if possessive || p > e {
                let found = self.role_phrase_at(after).or_else(|| {
                    let re = self.lower_role_words(after);
                    (re > after).then_some((re, "role"))
                });
                if let Some((re, rclass)) = found {
                    if possessive || aff.is_none() {
                        let holder = self.span_text(e, after);
                        aff = Some(GAZETTEER.lookup(holder).map_or(holder, affiliation_key));
                    }
                    if possessive {
                        class = rclass;
                    }
                    e = re;
                }
            }
            if e + 1 < self.toks.len()
                && matches!(self.word(e), "of" | "at" | "for" | "from")
                && self.toks[e].joined
            {
                let mut m = e + 1;
                if self.lower_is(m, "the") {
                    m += 1;
                }
                let mut end = m;
                while end < self.toks.len()
                    && self.toks[end].cap
                    && (end == m || self.toks[end].joined)
                {
                    end += 1;
                    if self.toks[end - 1].possessive {
                        break;
                    }
                }
                if end > m {
                    let org = self.span_text(m, end);
                    aff = Some(GAZETTEER.lookup(org).map_or(org, affiliation_key));
                    e = end;
                }
            }
            c.set_role(
                TextRange::new(self.toks[b].start, self.toks[e - 1].end).of(self.text),
                RoleSig {
                    affiliation: aff.map(SharedText::copy),
                    class,
                },
            );
            if unknown {
                c.kind = Some(EntityKind::Person);
            }
        }
        // Only a word of unknown kind or a given name alone that is the whole hometown is
        // changed ("Jason Gilbert of Cheyenne"): a name guessed from several words after "of"
        // is a group as often as a town ("Nick Rhodes of Duran Duran"), and so is a plural
        // ("the Welfare of Immigrants"; a known town is a place already).
        if towns.is_empty() {
            return;
        }
        for c in out.iter_mut() {
            if (c.kind.is_none() && !c.range.of(self.text).ends_with('s') || c.weak)
                && towns.contains(&c.range)
            {
                c.kind = Some(EntityKind::Place);
                c.form = MentionForm::Name;
                c.guessed = false;
                c.weak = false;
                c.cue = Some(EntityKind::Place);
            }
        }
    }
}

/// "38-year-old": an age as an adjective, a word of a role ("a 38-year-old veteran staffer").
fn is_age_adjective(w: &str) -> bool {
    w.strip_suffix("-year-old")
        .is_some_and(|n| (1..=3).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A plural title before names joined by "and" or commas is the title of each ("Sens. Jon
/// Tester and David Vitter", "Reps. Chris Collins, Duncan Hunter and Tom Reed"): the names
/// after the first take its role when they have none of their own.
fn shared_plural_titles(text: &str, cands: &mut [Candidate]) {
    for k in 1..cands.len() {
        let (done, rest) = cands.split_at_mut(k);
        let (prev, c) = (&done[k - 1], &mut rest[0]);
        // (After the state and party if any: "Idaho Republican Sens. Mike Crapo and Jim Risch".)
        let plural = prev.role().is_some_and(|r| {
            let last = r.rsplit(' ').next().unwrap_or(r);
            matches!(last, "Sens." | "Reps.")
        });
        if !plural
            || c.has_role()
            || c.kind != Some(EntityKind::Person)
            || c.form != MentionForm::FullName
        {
            continue;
        }
        // Only a comma or "and" between them (after the previous name's own parenthesis,
        // "(D-Mont.)", if any).
        let gap = text.get(prev.range.end..c.range.start).unwrap_or_default();
        let gap = match gap.trim_start().strip_prefix('(') {
            Some(after) => after.split_once(')').map_or("", |(_, g)| g),
            None => gap,
        };
        if matches!(gap.trim(), "," | "and" | ", and") {
            c.role_info = prev.role_info.clone();
        }
    }
}

/// The inside of a party-and-state parenthesis right after a name ("Jon Tester (D-Mont.)",
/// "Ted Cruz (R-Texas)", "Bernie Sanders (I-Vt.)", "(D)"): a legislator's party, and the
/// state he or she represents.
fn party_and_state(after: &str) -> Option<&str> {
    let rest = after.strip_prefix(" (")?;
    let inner = &rest[..rest.find(')')?];
    let mut chars = inner.chars();
    if !matches!(chars.next(), Some('D' | 'R' | 'I')) {
        return None;
    }
    let place = chars.as_str();
    if place.is_empty() {
        return Some(inner);
    }
    let place = place.strip_prefix(['-', '–'])?.trim();
    let ok = (2..=20).contains(&place.len())
        && place.starts_with(|c: char| c.is_ascii_uppercase())
        && place
            .chars()
            .all(|c| c.is_ascii_alphabetic() || matches!(c, '.' | ' '));
    ok.then_some(inner)
}

/// Relations that identify someone by a person the story names: "Patti Davis, Ronald
/// Reagan's daughter", "Walter Hewlett, son of HP's co-founder", "whose wife …".
const RELATIVES: [&str; 17] = [
    "wife",
    "husband",
    "widow",
    "son",
    "daughter",
    "mother",
    "father",
    "brother",
    "sister",
    "grandson",
    "granddaughter",
    "nephew",
    "niece",
    "cousin",
    "uncle",
    "aunt",
    "stepson",
];

/// A party's name as a word before a candidate's name ("Republican Donald Trump") or after a
/// place ("a Florida Republican").
fn is_party_word(w: &str) -> bool {
    matches!(
        w,
        "Republican"
            | "Democrat"
            | "Democratic"
            | "Libertarian"
            | "Independent"
            | "Socialist"
            | "GOP"
    )
}

/// The key a gazetteer entry gives as an affiliation: its country if it has one, else its name
/// (static data, lent for as long as the caller needs).
fn affiliation_key<'s>(e: &GazEntry) -> &'s str {
    e.country.unwrap_or(e.canonical)
}

/// The mention form a gazetteer name takes: people are named in full or by surname.
fn person_form(e: &GazEntry, words: usize) -> MentionForm {
    match (e.kind, words) {
        (EntityKind::Person, 1) => MentionForm::Surname,
        (EntityKind::Person, _) => MentionForm::FullName,
        _ => MentionForm::Name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcuts in `tokenize` that stand for these lists stay true to them.
    #[test]
    fn list_shortcuts_match_their_lists() {
        assert_eq!(DOTTED_SET.iter().map(|w| w.len()).max(), Some(DOTTED_MAX));
        // The states' abbreviations are there ("Calif."), but no dotted acronym ("W.Va.").
        assert!(DOTTED_SET.contains("Calif") && DOTTED_SET.contains("Del"));
        assert!(!DOTTED_SET.iter().any(|w| w.contains('.')));
        // The tokenizer tries the abbreviations only after a capital.
        for w in DOTTED_SET.iter() {
            assert!(w.starts_with(|c: char| c.is_ascii_uppercase()), "{w}");
        }
        assert_eq!(PARTICLES.iter().map(|w| w.len()).max(), Some(PARTICLE_MAX));
        for (title, _) in TITLES {
            let head = title.split(' ').next().unwrap_or(title);
            assert!(
                head.starts_with(char::is_uppercase) && !head.starts_with("I'"),
                "{title}"
            );
            assert!(
                head.len() > KEY_MAX || classes(head) & wl::TITLE_HEAD != 0,
                "{title}"
            );
        }
        for (phrase, _) in ROLE_PHRASES {
            let head = phrase.split(' ').next().unwrap_or(phrase).as_bytes();
            assert!(head[0].is_ascii_lowercase(), "{phrase}");
            if head.len() <= KEY_MAX {
                assert!(
                    ROLE_FIRST[head.len()] & 1 << (head[0] - b'a') != 0,
                    "{phrase}"
                );
            }
        }
        for p in PARTICLES {
            assert!(PARTICLE_FIRST.contains(&p.as_bytes()[0]), "{p}");
        }
    }

    /// The tokenizer's byte fast paths give exactly the tokens of the plain tokenizer, on
    /// generated manuscripts and on text made of the characters every rule of it looks at.
    #[test]
    fn tokenizer_fast_paths_change_no_token() {
        let mut texts: Vec<String> = (1..=3)
            .map(|seed| crate::generate::markdown(seed, 20_000))
            .collect();
        let pieces = [
            "Mr", ".", " ", "  ", "\n", "\n\n", "’", "'", "s", "-", "al", "Qaeda", "van", "&", "I",
            "é", "É", "İ", "\u{212A}", "9", "U", "S", "“", "”", ":", "(", "—", "ß", "a", "B", "’s",
            "'s", "St", "\t", "Jan", "x", "\u{b}", "\"", "[", "\r\n", "A.", "said", " & ",
        ];
        // A small deterministic generator (xorshift) picks the pieces.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..3000 {
            let mut t = String::new();
            for _ in 0..12 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                t.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            texts.push(t);
        }
        for t in &texts {
            // Sentence starts at every line start and after every period-space.
            let mut sentences = vec![TextRange::new(0, t.len())];
            for (k, _) in t.match_indices(". ").chain(t.match_indices('\n')) {
                sentences.push(TextRange::new(k + 1, t.len()));
            }
            sentences.sort_by_key(|r| r.start);
            for headline in [false, true] {
                let mut s = Scratch::default();
                tokenize_into(t, &sentences, headline, &mut s);
                assert_eq!(s.toks, tokenize_reference(t, &sentences, headline), "{t:?}");
                // The hashes taken while tokenizing are those of the tokens.
                for words in [&mut s.cap_words, &mut s.lower_words] {
                    words.sort_unstable();
                    words.dedup();
                }
                assert_eq!(
                    (s.cap_words, s.lower_words),
                    word_hashes(t, &s.toks),
                    "{t:?}"
                );
            }
        }
    }

    /// A word's key read from the text in two loads is the key built a byte at a time, for
    /// every length and position, next to the end of the text or not.
    #[test]
    fn key_at_is_word_key() {
        let text = "Abcdefghijklmnopqrstuvwxyz0123456789 é’s\u{212A} THE The the Head of \
                    SECRETARY-general";
        let b = text.as_bytes();
        for start in 0..b.len() {
            for end in start..=b.len() {
                assert_eq!(
                    key_at(b, start, end),
                    word_key(&b[start..end]),
                    "{start}..{end}"
                );
                assert_eq!(
                    hash_at(b, start, end),
                    bytes_hash(&b[start..end]),
                    "{start}..{end}"
                );
                if let Some(w) = text.get(start..end) {
                    assert_eq!(lower_classes_at(text, start, end), lower_classes(w), "{w}");
                }
            }
        }
        // The look-ups find list words: a test of the test.
        assert_ne!(lower_classes("THE"), 0);
        assert_ne!(lower_classes("Head"), 0);
    }

    /// The word-class table answers exactly as the lists it stands for, for their words, for
    /// their words in other cases, and for words in none of them.
    #[test]
    fn word_classes_match_their_lists() {
        let exact: [(&[&str], u32); 14] = [
            (ORG_HEADS, wl::ORG_HEAD),
            (PLACE_HEADS, wl::PLACE_HEAD),
            (PLACE_LEADS, wl::PLACE_LEAD),
            (REGION_LEADS, wl::REGION_LEAD),
            (OF_LEADS, wl::OF_LEAD),
            (CALENDAR, wl::CALENDAR),
            (EVENT_HEADS, wl::EVENT_HEAD),
            (GROUP_WORDS, wl::GROUP),
            (COMMON_ACRONYMS, wl::COMMON_ACRONYM),
            (HONORIFICS, wl::HONORIFIC),
            (PERSON_CUES, wl::PERSON_CUE),
            (TEAM_VERBS, wl::TEAM_VERB),
            (PLACE_CUES, wl::PLACE_CUE),
            (PARTICLES, wl::PARTICLE),
        ];
        let mut words: Vec<String> = Vec::new();
        for list in [
            STOPWORDS,
            ORG_HEADS,
            PLACE_HEADS,
            PLACE_LEADS,
            REGION_LEADS,
            OF_LEADS,
            CALENDAR,
            EVENT_HEADS,
            GROUP_WORDS,
            COMMON_ACRONYMS,
            HONORIFICS,
            PERSON_CUES,
            TEAM_VERBS,
            PLACE_CUES,
            PARTICLES,
        ] {
            for w in list {
                assert!(w.len() <= KEY_MAX, "{w}");
                words.extend([w.to_string(), w.to_uppercase(), w.to_lowercase()]);
                let mut c = w.chars();
                if let Some(f) = c.next() {
                    words.push(f.to_uppercase().chain(c).collect());
                }
            }
        }
        for (phrase, _) in ROLE_PHRASES {
            words.extend(phrase.split(' ').map(str::to_string));
            words.push(phrase.to_uppercase());
        }
        words.extend(
            [
                "",
                "Berg",
                "the",
                "İstanbul",
                "\u{212A}",
                "OF",
                "Secretary-General",
                "x",
            ]
            .map(str::to_string),
        );
        words.push("a".repeat(40));
        for w in &words {
            let w = w.as_str();
            for &(list, bit) in &exact {
                assert_eq!(classes(w) & bit != 0, list.contains(&w), "{w}");
            }
            let lower = w.to_lowercase();
            assert_eq!(
                is_stopword_lower(w),
                STOPWORDS.contains(&lower.as_str()),
                "{w}"
            );
            let head = ROLE_PHRASES
                .iter()
                .any(|(p, _)| p.split(' ').next() == Some(lower.as_str()));
            if lower.len() <= KEY_MAX {
                assert_eq!(lower_classes(w) & wl::ROLE_HEAD != 0, head, "{w}");
            }
        }
    }
}
