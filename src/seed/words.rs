//! Vocabulary for generated stories: plain newsroom words, combined at random.

pub const PLACES: &[&str] = &[
    "Calloway", "Brennholm", "Vessa", "Tesh Harbour", "Marisan", "Cordavia", "Vestrland", "Umbari",
    "Costa Verana", "Lindmark", "Orrin Bay", "Saltmere", "Kavos", "Northgate", "Elder Point",
    "Rivenna", "Port Ashby", "Dunmore", "Sarovo", "Hallam",
];

pub const SUBJECTS: &[&str] = &[
    "ministers", "regulators", "the central bank", "city council", "researchers", "unions",
    "exporters", "farmers", "the health agency", "lawmakers", "investors", "the port authority",
    "energy firms", "the court", "teachers", "airlines", "hospital staff", "the space agency",
    "local officials", "the coalition", "climate scientists", "retailers", "the film festival",
    "shipping companies", "the election board",
];

pub const VERBS: &[&str] = &[
    "approve", "reject", "delay", "unveil", "expand", "review", "defend", "question", "back",
    "propose", "cut", "raise", "extend", "suspend", "announce", "debate", "restore", "challenge",
    "launch", "finalise",
];

pub const OBJECTS: &[&str] = &[
    "energy price cap", "rail expansion", "water plan", "budget deal", "tariff cut", "housing scheme",
    "flood defences", "vaccine rollout", "trade accord", "wage agreement", "emissions target",
    "school reform", "fishing quota", "data law", "port upgrade", "satellite launch", "tax relief",
    "grid investment", "drought response", "festival lineup", "hospital funding", "interest rate move",
    "coastal survey", "airline merger", "election timetable",
];

pub const ADJECTIVES: &[&str] = &[
    "new", "disputed", "long-awaited", "regional", "emergency", "revised", "national", "joint",
    "temporary", "ambitious", "cautious", "record", "landmark", "modest", "contested",
];

pub const NOUNS: &[&str] = &[
    "report", "vote", "plan", "deadline", "agreement", "forecast", "inquiry", "survey", "meeting",
    "statement", "study", "proposal", "budget", "hearing", "summit", "decision", "figures",
    "programme", "committee", "review", "market", "harbour", "network", "season", "system",
];

pub const FILLER: &[&str] = &[
    "officials said", "according to figures released on", "after weeks of talks", "in a statement",
    "the ministry confirmed", "analysts expect", "critics warned", "supporters argued",
    "the final text", "on a narrow margin", "within the next year", "for the first time since",
    "across the region", "in the capital", "people familiar with the matter said",
];
